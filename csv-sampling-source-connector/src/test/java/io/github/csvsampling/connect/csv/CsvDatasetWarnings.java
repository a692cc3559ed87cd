package io.github.csvsampling.connect.csv;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The warnings {@link CsvDataset} logs while it is open (skipped rows, stretches of bad input): what a user reads in
 * the worker log. Close it to stop collecting.
 */
public final class CsvDatasetWarnings extends AbstractAppender implements AutoCloseable {
    private static final AtomicLong INSTANCES = new AtomicLong();

    /** The formatted messages at WARN or above, in the order they were logged. */
    public final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LogManager.getLogger(CsvDataset.class.getName());

    public CsvDatasetWarnings() {
        super("csv-dataset-warnings-" + INSTANCES.incrementAndGet(), null, null, true, Property.EMPTY_ARRAY);
        start();
        logger.addAppender(this);
    }

    @Override
    public void append(LogEvent event) {
        if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
            lines.add(event.getMessage().getFormattedMessage());
        }
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        stop();
    }
}
