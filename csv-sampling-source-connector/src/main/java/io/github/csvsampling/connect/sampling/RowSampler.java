package io.github.csvsampling.connect.sampling;

/**
 * Chooses which data row a task emits as its {@code sequence}-th record.
 *
 * <p>Implementations are pure functions of their construction arguments and the sequence number:
 * no hidden state advances between calls. That is what makes resume exact (a task restarted at
 * sequence {@code n} emits what it would have emitted) and replays reproducible.
 */
public interface RowSampler {

    /** The 0-based index of the data row to emit as record number {@code sequence} (0-based). */
    long rowAt(long sequence);
}
