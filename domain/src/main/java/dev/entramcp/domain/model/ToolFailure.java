package dev.entramcp.domain.model;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Why a tool that was allowed to run could not complete. Each kind tells the person what to
 * do next; transports render {@link #userMessage()} as a tool error ({@code isError: true}).
 */
public sealed interface ToolFailure {

    /** A message that says what happened and what to do, safe to show: no token, no stack trace. */
    String userMessage();

    /** The arguments do not satisfy the tool's rules (beyond what the JSON Schema can say). */
    record InvalidArguments(String detail) implements ToolFailure {
        public InvalidArguments {
            Require.notBlank(detail, "detail");
        }

        @Override
        public String userMessage() {
            return "Invalid arguments: " + detail;
        }
    }

    /**
     * The user must sign in (again): there is no usable token, or the downstream rejected it.
     * {@code instruction} says how, for example where to go and which code to enter.
     */
    record SignInRequired(String instruction) implements ToolFailure {
        public SignInRequired {
            Require.notBlank(instruction, "instruction");
        }

        @Override
        public String userMessage() {
            return "Sign-in required: " + instruction;
        }
    }

    /** The user or an administrator must grant consent (or a permission) first. */
    record ConsentRequired(String detail, Optional<URI> consentUrl) implements ToolFailure {
        public ConsentRequired {
            Require.notBlank(detail, "detail");
            Require.notNull(consentUrl, "consentUrl");
        }

        @Override
        public String userMessage() {
            return consentUrl
                    .map(url -> "Consent required: " + detail + " Ask an administrator to grant consent at " + url)
                    .orElse("Consent required: " + detail + " Ask an administrator to grant the permission.");
        }
    }

    /** The downstream is throttling; try again after {@code retryAfter}. */
    record Throttled(Duration retryAfter) implements ToolFailure {
        public Throttled {
            Require.notNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("'retryAfter' must not be negative");
            }
        }

        @Override
        public String userMessage() {
            return "The service is busy (throttled). Wait " + Math.max(1, retryAfter.toSeconds())
                    + " seconds and try again.";
        }
    }

    /** The downstream failed or could not be reached. */
    record DownstreamUnavailable(String detail) implements ToolFailure {
        public DownstreamUnavailable {
            Require.notBlank(detail, "detail");
        }

        @Override
        public String userMessage() {
            return "The downstream service is unavailable: " + detail + " Try again later.";
        }
    }
}
