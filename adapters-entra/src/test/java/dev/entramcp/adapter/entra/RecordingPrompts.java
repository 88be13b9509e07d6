package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.SignInPrompt;
import dev.entramcp.domain.port.out.PromptUserSignInPort;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The person at the keyboard, as far as the token adapter can reach them: keeps every prompt. */
final class RecordingPrompts implements PromptUserSignInPort {

    private final LinkedBlockingQueue<SignInPrompt> unread = new LinkedBlockingQueue<>();
    private final List<SignInPrompt> all = new CopyOnWriteArrayList<>();

    @Override
    public void prompt(SignInPrompt prompt) {
        all.add(prompt);
        unread.add(prompt);
    }

    /** The next prompt, waiting for it up to the timeout. */
    SignInPrompt next(Duration timeout) throws InterruptedException {
        SignInPrompt prompt = unread.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (prompt == null) {
            throw new AssertionError("no sign-in prompt within " + timeout);
        }
        return prompt;
    }

    List<SignInPrompt> all() {
        return List.copyOf(all);
    }
}
