package dev.entramcp.domain.model;

import dev.entramcp.domain.fixtures.Callers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ValueObjectValidationTest {

    @Test
    void givenBlankTenant_principalId_namesTheField() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> PrincipalId.of(" ", Callers.ALICE_OID))
                .withMessage("'tenantId' must not be blank");
    }

    @Test
    void givenNonGuidObjectId_principalId_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> PrincipalId.of(Callers.TENANT, "alice"))
                .withMessage("'objectId' must be a GUID");
    }

    @Test
    void givenUpperCaseGuids_principalId_isNormalisedSoKeysMatch() {
        PrincipalId upper = PrincipalId.of(Callers.TENANT.toUpperCase(), Callers.ALICE_OID.toUpperCase());

        assertThat(upper).isEqualTo(PrincipalId.of(Callers.TENANT, Callers.ALICE_OID));
        assertThat(upper.asKey()).isEqualTo(Callers.TENANT + "/" + Callers.ALICE_OID);
    }

    @Test
    void givenApplicationWithScopes_callerIdentity_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new CallerIdentity(PrincipalId.of(Callers.TENANT, Callers.ALICE_OID), "", "", Callers.CLIENT_APP,
                        new java.util.TreeSet<>(Set.of("User.Read")), new java.util.TreeSet<>(), CallerKind.APPLICATION, Optional.empty()))
                .withMessageContaining("'scopes' must be empty for an application");
    }

    @Test
    void givenBlankClientApp_callerIdentity_namesTheField() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> Callers.aCaller().viaClient("").build())
                .withMessage("'clientAppId' must not be blank");
    }

    @Test
    void givenBlankScope_callerIdentity_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> Callers.aCaller().withScopes(" ").build())
                .withMessage("'scopes' must not contain blank entries");
    }

    @Test
    void givenCallerWithAssertion_toString_neverShowsTheToken() {
        CallerIdentity caller = Callers.aCaller().withAssertion("eyJhbGciOiJSUzI1NiJ9.secret-payload.sig").build();

        assertThat(caller.toString()).doesNotContain("secret-payload").contains("UserAssertion[***]");
        assertThat(caller.assertion()).map(UserAssertion::value).contains("eyJhbGciOiJSUzI1NiJ9.secret-payload.sig");
    }

    @Test
    void givenTokens_toString_isMasked() {
        AccessToken access = AccessToken.of("access-secret", Instant.EPOCH);
        RefreshToken refresh = RefreshToken.of("refresh-secret");
        UpstreamTokens tokens = UpstreamTokens.of(access, refresh, Set.of("User.Read"));

        assertThat(access).hasToString("AccessToken[***]");
        assertThat(refresh).hasToString("RefreshToken[***]");
        assertThat(tokens.toString()).doesNotContain("access-secret").doesNotContain("refresh-secret");
    }

    @Test
    void givenExpiryInstant_accessToken_isExpiredFromThatInstantOn() {
        AccessToken token = AccessToken.of("t", Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(token.isExpiredAt(Instant.parse("2025-12-31T23:59:59Z"))).isFalse();
        assertThat(token.isExpiredAt(Instant.parse("2026-01-01T00:00:00Z"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "name/with/slash", "a+b"})
    void givenInvalidName_toolName_isRefused(String name) {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> ToolName.of(name));
    }

    @Test
    void givenTooLongName_toolName_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> ToolName.of("x".repeat(129)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@contoso.example", "first.last+tag@sub.example.org"})
    void givenWellFormedAddress_emailAddress_isAccepted(String value) {
        assertThat(EmailAddress.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice@", "@contoso.example", "a b@contoso.example", "alice@contoso",
            "alice@contoso.example\r\nBcc: eve@evil.example", "<alice@contoso.example>", "a@b@contoso.example"})
    void givenMalformedAddress_emailAddress_isRefused(String value) {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> EmailAddress.of(value));
    }

    @Test
    void givenNoRecipients_mailMessage_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new MailMessage(List.of(), "Hi", "Body"))
                .withMessage("'to' must name at least one recipient");
    }

    @Test
    void givenTooManyRecipients_mailMessage_isRefused() {
        List<EmailAddress> many = java.util.stream.IntStream.rangeClosed(1, MailMessage.MAX_RECIPIENTS + 1)
                .mapToObj(i -> EmailAddress.of("user" + i + "@contoso.example")).toList();

        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new MailMessage(many, "Hi", "Body"))
                .withMessage("'to' must name at most 10 recipients");
    }

    @Test
    void givenRepeatedRecipient_mailMessage_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new MailMessage(List.of(EmailAddress.of("a@contoso.example"), EmailAddress.of("A@contoso.example")), "Hi", "Body"))
                .withMessage("'to' must not repeat a recipient");
    }

    @Test
    void givenMultiLineSubject_mailMessage_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new MailMessage(List.of(EmailAddress.of("a@contoso.example")), "Hi\nBcc: x", "Body"))
                .withMessage("'subject' must be a single line");
    }

    @Test
    void givenOversizedBody_mailMessage_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new MailMessage(List.of(EmailAddress.of("a@contoso.example")), "Hi", "x".repeat(MailMessage.MAX_BODY + 1)))
                .withMessage("'body' must be at most 32768 characters");
    }

    @Test
    void givenNonObjectSchema_toolDescriptor_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new ToolDescriptor(ToolName.of("t"), "T", "d", Map.of("type", "string"),
                        ToolHints.readOnly(false), AccessRequirement.signedInUser()))
                .withMessageContaining("\"type\": \"object\"");
    }

    @Test
    void givenNonJsonValue_toolResult_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> ToolResult.of("t", Map.of("when", Instant.EPOCH)))
                .withMessageContaining("not a JSON value");
    }

    @Test
    void givenMutableStructuredContent_toolResult_keepsAnImmutableCopy() {
        java.util.List<Object> list = new java.util.ArrayList<>(List.of("a"));
        ToolResult result = ToolResult.of("t", Map.of("items", list));

        list.add("b");

        assertThat(result.structuredContent().get("items")).isEqualTo(List.of("a"));
    }

    @Test
    void givenBadCorrelationId_correlationId_isRefusedSoLogsCannotBeForged() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> CorrelationId.of("abc\n{\"forged\":true}"));
    }
}
