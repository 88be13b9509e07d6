package dev.entramcp.domain.service;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.FixedClock;
import dev.entramcp.domain.fixtures.RecordingAuditTrail;
import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.AuditEvent;
import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.in.AuthorizeToolCallQuery;
import dev.entramcp.domain.port.in.CallToolCommand;
import dev.entramcp.domain.port.in.ListToolsQuery;
import dev.entramcp.domain.port.out.LoadUserProfilePort;
import dev.entramcp.domain.port.out.SendMailPort;
import dev.entramcp.domain.tool.GetUserProfileTool;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.entramcp.domain.fixtures.Callers.alice;
import static dev.entramcp.domain.fixtures.Callers.anApplication;
import static dev.entramcp.domain.fixtures.Callers.bob;
import static org.assertj.core.api.Assertions.assertThat;

class ToolServicesTest {

    private static final CorrelationId CORRELATION = CorrelationId.of("corr-1");
    private static final UserProfile ALICE_PROFILE = new UserProfile(Callers.ALICE_OID, "Alice",
            Optional.of("alice@contoso.example"), Optional.of("alice@contoso.example"), Optional.of("Engineer"), Optional.empty());

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final List<MailMessage> outbox = new ArrayList<>();
    private LoadUserProfilePort profiles = caller -> ALICE_PROFILE;
    private SendMailPort mail = (caller, message) -> outbox.add(message);

    private ToolCatalog catalog() {
        return ToolCatalog.of(new WhoAmITool(), new GetUserProfileTool(caller -> profiles.loadUserProfile(caller)),
                new SendMailTool((caller, message) -> mail.sendMail(caller, message)));
    }

    private List<String> listedFor(CallerIdentity caller) {
        return new ListToolsService(catalog(), audit, FixedClock.atNow())
                .listTools(new ListToolsQuery(caller, CORRELATION)).stream()
                .map(tool -> tool.name().value()).toList();
    }

    private CallToolOutcome call(CallerIdentity caller, String tool, Map<String, Object> arguments) {
        return new CallToolService(catalog(), audit, FixedClock.atNow())
                .callTool(new CallToolCommand(caller, tool, arguments, CORRELATION));
    }

    private static Map<String, Object> aMail() {
        return Map.of("to", List.of("carol@contoso.example"), "subject", "Hello", "body", "Hi Carol");
    }

    @Test
    void givenAliceWithoutMailSenderRole_listTools_hidesSendMail() {
        assertThat(listedFor(alice())).containsExactly("whoami", "get_user_profile");
    }

    @Test
    void givenBobWithMailSenderRole_listTools_showsSendMail() {
        assertThat(listedFor(bob())).containsExactly("whoami", "get_user_profile", "send_mail");
    }

    @Test
    void givenApplicationCaller_listTools_showsOnlyToolsOpenToApplications() {
        assertThat(listedFor(anApplication().withRoles("Mail.Sender").build())).containsExactly("whoami");
    }

    @Test
    void givenAnyCaller_listTools_auditsWhatWasShown() {
        listedFor(alice());

        AuditEvent event = audit.last();
        assertThat(event.action()).isEqualTo(AuditAction.LISTED);
        assertThat(event.detail()).isEqualTo("[whoami,get_user_profile]");
        assertThat(event.principal()).isEqualTo(alice().principal());
        assertThat(event.at()).isEqualTo(FixedClock.NOW);
        assertThat(event.correlationId()).isEqualTo(CORRELATION);
    }

    @Test
    void givenAlice_whoami_returnsHerIdentityWithoutAnyToken() {
        CallerIdentity caller = Callers.aCaller().named("alice@contoso.example", "Alice").withScopes("User.Read")
                .withAssertion("the-inbound-token").build();

        CallToolOutcome outcome = call(caller, "whoami", Map.of());

        assertThat(outcome).isInstanceOf(CallToolOutcome.Completed.class);
        var result = ((CallToolOutcome.Completed) outcome).result();
        assertThat(result.text()).contains("Alice (alice@contoso.example)").contains("Scopes: User.Read").doesNotContain("the-inbound-token");
        assertThat(result.structuredContent()).containsEntry("objectId", Callers.ALICE_OID).containsEntry("kind", "user")
                .containsEntry("scopes", List.of("User.Read"));
        assertThat(result.structuredContent().toString()).doesNotContain("the-inbound-token");
    }

    @Test
    void givenAlice_getUserProfile_returnsTheProfileFromThePort() {
        CallToolOutcome outcome = call(alice(), "get_user_profile", Map.of());

        var result = ((CallToolOutcome.Completed) outcome).result();
        assertThat(result.text()).isEqualTo("Alice <alice@contoso.example>, Engineer, mail alice@contoso.example");
        assertThat(result.structuredContent()).containsEntry("jobTitle", "Engineer").doesNotContainKey("officeLocation");
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED);
    }

    @Test
    void givenUnknownToolName_callTool_isUnknownNotRefusedNorFailed() {
        CallToolOutcome outcome = call(bob(), "delete_everything", Map.of());

        assertThat(outcome).isEqualTo(new CallToolOutcome.UnknownTool("delete_everything"));
        assertThat(audit.last().action()).isEqualTo(AuditAction.FAILED);
        assertThat(audit.last().detail()).isEqualTo("unknown tool");
    }

    @Test
    void givenInvalidToolName_callTool_isUnknown() {
        assertThat(call(bob(), "../etc/passwd", Map.of())).isInstanceOf(CallToolOutcome.UnknownTool.class);
    }

    @Test
    void givenAliceWithoutRole_sendMail_isRefusedNamingTheRoleAndNothingIsSent() {
        CallToolOutcome outcome = call(alice(), "send_mail", aMail());

        assertThat(outcome).isInstanceOf(CallToolOutcome.Refused.class);
        Decision.Denied denied = ((CallToolOutcome.Refused) outcome).decision();
        assertThat(denied.missingRoles()).containsExactly("Mail.Sender");
        assertThat(denied.missingScopes()).isEmpty();
        assertThat(outbox).isEmpty();
        assertThat(audit.actions()).containsExactly(AuditAction.DENIED);
        assertThat(audit.last().detail()).isEqualTo("missing app role Mail.Sender");
    }

    @Test
    void givenBob_sendMail_sendsTheValidatedMessage() {
        CallToolOutcome outcome = call(bob(), "send_mail", aMail());

        assertThat(outcome).isInstanceOf(CallToolOutcome.Completed.class);
        assertThat(outbox).containsExactly(new MailMessage(List.of(EmailAddress.of("carol@contoso.example")), "Hello", "Hi Carol"));
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED);
    }

    @Test
    void givenBobWithBadRecipient_sendMail_failsWithInvalidArgumentsAndSendsNothing() {
        CallToolOutcome outcome = call(bob(), "send_mail", Map.of("to", List.of("not-an-address"), "subject", "S", "body", "B"));

        assertThat(outcome).isInstanceOf(CallToolOutcome.Failed.class);
        ToolFailure failure = ((CallToolOutcome.Failed) outcome).failure();
        assertThat(failure).isInstanceOf(ToolFailure.InvalidArguments.class);
        assertThat(failure.userMessage()).contains("'value' must be an e-mail address");
        assertThat(outbox).isEmpty();
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED, AuditAction.FAILED);
    }

    @Test
    void givenUnexpectedArgument_sendMail_failsNamingIt() {
        Map<String, Object> arguments = new java.util.HashMap<>(aMail());
        arguments.put("bcc", List.of("eve@evil.example"));

        CallToolOutcome outcome = call(bob(), "send_mail", arguments);

        assertThat(((CallToolOutcome.Failed) outcome).failure().userMessage()).isEqualTo("Invalid arguments: unknown argument(s) bcc");
        assertThat(outbox).isEmpty();
    }

    @Test
    void givenMissingSubject_sendMail_failsNamingIt() {
        CallToolOutcome outcome = call(bob(), "send_mail", Map.of("to", List.of("carol@contoso.example"), "body", "B"));

        assertThat(((CallToolOutcome.Failed) outcome).failure().userMessage()).isEqualTo("Invalid arguments: 'subject' is required");
    }

    @Test
    void givenThrottledDownstream_callTool_failsWithThrottledAndAuditsTheFailure() {
        profiles = caller -> {
            throw new ToolFailureException(new ToolFailure.Throttled(Duration.ofSeconds(7)));
        };

        CallToolOutcome outcome = call(alice(), "get_user_profile", Map.of());

        assertThat(outcome).isEqualTo(new CallToolOutcome.Failed(dev.entramcp.domain.model.ToolName.of("get_user_profile"),
                new ToolFailure.Throttled(Duration.ofSeconds(7))));
        assertThat(((CallToolOutcome.Failed) outcome).failure().userMessage()).contains("Wait 7 seconds");
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED, AuditAction.FAILED);
        assertThat(audit.last().detail()).isEqualTo("Throttled");
    }

    @Test
    void givenDownstreamBug_callTool_failsWithoutLeakingTheExceptionMessage() {
        profiles = caller -> {
            throw new IllegalStateException("internal detail: connection string Password=hunter2");
        };

        CallToolOutcome outcome = call(alice(), "get_user_profile", Map.of());

        ToolFailure failure = ((CallToolOutcome.Failed) outcome).failure();
        assertThat(failure).isInstanceOf(ToolFailure.DownstreamUnavailable.class);
        assertThat(failure.userMessage()).contains("corr-1").doesNotContain("hunter2").doesNotContain("internal detail");
    }

    @Test
    void givenAPortThrowingIllegalArgumentException_callTool_failsAsDownstreamNotAsTheCallersArguments() {
        profiles = caller -> {
            throw new IllegalArgumentException("internal detail: bad URI in the Graph adapter");
        };

        CallToolOutcome outcome = call(alice(), "get_user_profile", Map.of());

        ToolFailure failure = ((CallToolOutcome.Failed) outcome).failure();
        assertThat(failure).isInstanceOf(ToolFailure.DownstreamUnavailable.class);
        assertThat(failure.userMessage()).contains("corr-1").doesNotContain("internal detail");
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED, AuditAction.FAILED);
        assertThat(audit.last().detail()).isEqualTo("DownstreamUnavailable");
    }

    @Test
    void givenArgumentsThatAreNotJsonValues_callTool_failsWithInvalidArgumentsBeforeTheToolRuns() {
        profiles = caller -> {
            throw new AssertionError("the tool must not run");
        };

        CallToolOutcome outcome = call(alice(), "get_user_profile", Map.of("x", new Object()));

        ToolFailure failure = ((CallToolOutcome.Failed) outcome).failure();
        assertThat(failure).isEqualTo(new ToolFailure.InvalidArguments("the arguments are not JSON values this tool accepts"));
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED, AuditAction.FAILED);
        assertThat(audit.last().detail()).isEqualTo("InvalidArguments");
    }

    @Test
    void givenApplicationCaller_getUserProfile_isRefusedAsAppOnly() {
        CallToolOutcome outcome = call(anApplication().build(), "get_user_profile", Map.of());

        assertThat(((CallToolOutcome.Refused) outcome).decision().appOnlyRefused()).isTrue();
    }

    @Test
    void givenCallerMissingScope_authorizeToolCall_refusesWithStepUpScopesAndAudits() {
        CallerIdentity noMail = Callers.aCaller().withScopes("User.Read").withRoles("Mail.Sender").build();
        var service = new AuthorizeToolCallService(catalog(), audit, FixedClock.atNow());

        Optional<Decision.Denied> refusal = service.refusalFor(new AuthorizeToolCallQuery(noMail, "send_mail", CORRELATION));

        assertThat(refusal).isPresent();
        assertThat(refusal.get().lacksScopes()).isTrue();
        assertThat(refusal.get().requiredScopes()).containsExactly("Mail.Send");
        assertThat(audit.actions()).containsExactly(AuditAction.DENIED);
    }

    @Test
    void givenAllowedOrUnknownTool_authorizeToolCall_doesNotRefuseAndDoesNotAudit() {
        var service = new AuthorizeToolCallService(catalog(), audit, FixedClock.atNow());

        assertThat(service.refusalFor(new AuthorizeToolCallQuery(bob(), "send_mail", CORRELATION))).isEmpty();
        assertThat(service.refusalFor(new AuthorizeToolCallQuery(bob(), "nope", CORRELATION))).isEmpty();
        assertThat(audit.events()).isEmpty();
    }

    @Test
    void givenCatalog_descriptors_keepRegistrationOrderAndRequirements() {
        List<ToolDescriptor> descriptors = catalog().descriptors();

        assertThat(descriptors).extracting(tool -> tool.name().value()).containsExactly("whoami", "get_user_profile", "send_mail");
        assertThat(descriptors.get(2).requirement().roles()).containsExactly("Mail.Sender");
        assertThat(descriptors.get(2).inputSchema()).containsEntry("additionalProperties", false);
    }
}
