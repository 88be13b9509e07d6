package dev.entramcp.adapter.http.auth;

import java.util.List;

/**
 * Start-up refusal of an invalid authentication configuration. The message lists every problem,
 * each naming the key to set and what to set it to.
 */
public final class InvalidAuthConfigurationException extends IllegalArgumentException {

    private final transient List<String> problems;

    public InvalidAuthConfigurationException(List<String> problems) {
        super("Invalid authentication configuration:\n - " + String.join("\n - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
