package io.github.csvsampling.console;

import java.util.Optional;

/**
 * What the console accepts as the name of a connector it creates, and why. Connect itself accepts almost any text,
 * but a name with a slash cannot be addressed in its REST API's paths ({@code /connectors/<name>/status}), and quotes
 * break the JSON and shell commands people manage connectors with; the console says so before Connect is asked.
 */
final class ConnectorNames {

    static final int MAX_LENGTH = 200;

    private ConnectorNames() {
    }

    /** Why {@code name} is refused, or empty when it is fine. */
    static Optional<String> problem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("A connector needs a name, such as stock-quotes-source.");
        }
        String shown = name.length() > 60 ? name.substring(0, 60) + "..." : name;
        if (name.length() > MAX_LENGTH) {
            return Optional.of("The name is " + name.length() + " characters long; use at most " + MAX_LENGTH
                    + " (it also names the connector's consumer group and its entries in Connect's topics).");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return Optional.of("The name '" + shown + "' contains a slash. Connect's REST API addresses a connector by"
                    + " its name in the URL path (/connectors/<name>/status), where a slash would name another"
                    + " resource: use letters, digits, '.', '_' or '-'.");
        }
        if (name.indexOf('"') >= 0 || name.indexOf('\'') >= 0 || name.indexOf('`') >= 0) {
            return Optional.of("The name '" + shown + "' contains a quote, which breaks the JSON and shell commands"
                    + " (curl, scripts/deploy-connectors.sh) connectors are managed with: use letters, digits, '.',"
                    + " '_' or '-'.");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("The name contains a control character (such as a line break or a tab).");
        }
        if (!name.strip().equals(name)) {
            return Optional.of("The name '" + shown + "' starts or ends with a space, which Connect would remove.");
        }
        return Optional.empty();
    }
}
