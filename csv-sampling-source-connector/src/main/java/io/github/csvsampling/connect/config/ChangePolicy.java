package io.github.csvsampling.connect.config;

/** What a task does when the file's content differs from the one its stored offset was made from. */
public enum ChangePolicy {
    /** Log a warning and start the stream again from record 0 on the new content. */
    RESTART,
    /** Fail the task with a message saying how to reset the offsets or change the policy. */
    FAIL
}
