package io.github.csvsampling.connect.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;

/** Recommenders that let Connect UIs offer the permitted values of option keys as a list. */
final class Recommenders {

    private Recommenders() {
    }

    static <E extends Enum<E>> ConfigDef.Recommender enumValues(Class<E> type) {
        List<Object> values = new ArrayList<>(Validators.enumNames(type));
        return new ConfigDef.Recommender() {
            @Override
            public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
                return values;
            }

            @Override
            public boolean visible(String name, Map<String, Object> parsedConfig) {
                return true;
            }
        };
    }
}
