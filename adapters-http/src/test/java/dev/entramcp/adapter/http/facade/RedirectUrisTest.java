package dev.entramcp.adapter.http.facade;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Exact matching, except the port of a loopback http redirect URI (RFC 8252 section 7.3). */
class RedirectUrisTest {

    @Test
    void givenARegisteredHttpsUri_matches_onlyTheSameStringCharacterForCharacter() {
        List<String> registered = List.of("https://app.example/cb");

        assertThat(RedirectUris.matches(registered, "https://app.example/cb")).isTrue();
        assertThat(RedirectUris.matches(registered, "https://app.example/cb/")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://APP.example/cb")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://app.example:443/cb")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://app.example/cb?x=1")).isFalse();
        assertThat(RedirectUris.matches(registered, null)).isFalse();
    }

    @Test
    void givenARegisteredLoopbackUri_matches_anyPortButNothingElse() {
        List<String> registered = List.of("http://127.0.0.1/callback");

        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:61234/callback")).isTrue();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:61234/callback2")).isFalse();
        assertThat(RedirectUris.matches(registered, "http://localhost:61234/callback")).isFalse();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:61234/callback?x=1")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://127.0.0.1:61234/callback")).isFalse();
    }

    @Test
    void givenNoApplicationType_inferredType_isNativeForLoopbackHttpAndWebOtherwise() {
        assertThat(RedirectUris.inferredType(List.of("http://[::1]:8080/cb"))).isEqualTo(RegisteredClient.ApplicationType.NATIVE);
        assertThat(RedirectUris.inferredType(List.of("https://app.example/cb"))).isEqualTo(RegisteredClient.ApplicationType.WEB);
    }
}
