package dev.portcullis.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.event.UserIdentity;
import java.time.Instant;
import java.util.List;

/** Realistic events for tests: the verification service invoking the execution service through the gateway (seed 000). */
public final class Events {

    public static final String ACCOUNT = "111122223333";
    public static final String ROLE_ARN = "arn:aws:iam::111122223333:role/verification-service";
    public static final String SESSION_ARN = "arn:aws:sts::111122223333:assumed-role/verification-service/job-42";

    /** Secrets planted in events by the no-secrets tests; none may ever reach a sink. */
    public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDtqstfDEaRfZKFK5Z2n2CnP7"
            + "qxdEXAMPLEsessionTOKENvalue0123456789abcdefABCDEF/+zz";
    public static final String SIGNATURE = "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";
    public static final String PASSWORD = "correct-horse-battery-staple-9";
    public static final String PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIPlantedPrivateKeyMaterial\n-----END PRIVATE KEY-----";
    public static final List<String> ALL_SECRETS = List.of(SECRET_KEY, SESSION_TOKEN, SIGNATURE, PASSWORD,
            "PlantedPrivateKeyMaterial");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {}

    public static AuditEvent invoke(int i) {
        return invoke(i, Instant.parse("2026-11-20T10:00:00Z").plusSeconds(i));
    }

    public static AuditEvent invoke(int i, Instant time) {
        ObjectNode params = JSON.createObjectNode();
        params.put("apiId", "exec-api");
        params.put("stage", "prod");
        params.put("path", "/jobs/" + i);
        return AuditEvent.builder()
                .eventTime(time)
                .eventSource("execute-api.amazonaws.com")
                .eventName("Invoke")
                .awsRegion("us-east-1")
                .sourceIPAddress("10.0.3.17")
                .userAgent("aws-sdk-java/2.29.52")
                .userIdentity(session())
                .requestParameters(params)
                .requestId("req-" + i)
                .correlationId("corr-" + (i / 10))
                .readOnly(false)
                .decision(i % 7 == 0
                        ? Decision.of(Decision.Outcome.ImplicitDeny)
                        : Decision.of(Decision.Outcome.Allow, "arn:aws:execute-api:us-east-1:111122223333:exec-api#AllowVerification"))
                .errorCode(i % 7 == 0 ? "AccessDenied" : null)
                .errorMessage(i % 7 == 0 ? "User is not authorized to access this resource" : null)
                .latencyMicros(180 + i)
                .build();
    }

    public static UserIdentity session() {
        return new UserIdentity("AssumedRole", "AROAEXAMPLEID:job-42", SESSION_ARN, ACCOUNT, "ASIAEXAMPLEKEYID0001",
                new UserIdentity.SessionContext(new UserIdentity.SessionIssuer("Role", "AROAEXAMPLEID", ROLE_ARN, ACCOUNT,
                        "verification-service"), Instant.parse("2026-11-20T09:55:00Z"), false), null);
    }

    /** An event stuffed with secrets in every place a careless caller might put them. */
    public static AuditEvent fullOfSecrets(int i) {
        ObjectNode params = JSON.createObjectNode();
        params.put("UserName", "alice");
        params.put("Password", PASSWORD);
        params.put("SecretAccessKey", SECRET_KEY);
        params.put("X-Amz-Security-Token", SESSION_TOKEN);
        params.put("X-Amz-Signature", SIGNATURE);
        params.put("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261120/us-east-1/iam/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + SIGNATURE);
        params.put("PrivateKey", PRIVATE_KEY);
        params.put("url", "https://gw.example/prod/jobs?X-Amz-Credential=AKIAEXAMPLE%2F20261120&X-Amz-Signature="
                + SIGNATURE + "&X-Amz-Security-Token=" + SESSION_TOKEN);
        params.put("note", "misfiled " + SECRET_KEY + " in a note");
        params.putObject("headers").put("authorization", "Bearer " + SESSION_TOKEN);
        params.putArray("values").add(SESSION_TOKEN).add(PRIVATE_KEY);
        ObjectNode response = JSON.createObjectNode();
        ObjectNode creds = response.putObject("credentials");
        creds.put("accessKeyId", "ASIAEXAMPLEKEYID0001");
        creds.put("secretAccessKey", SECRET_KEY);
        creds.put("sessionToken", SESSION_TOKEN);
        creds.put("expiration", "2026-11-20T11:00:00Z");
        return AuditEvent.builder()
                .eventSource("sts.amazonaws.com")
                .eventName("AssumeRole")
                .userIdentity(session())
                .userAgent("curl/8.5 token=" + SESSION_TOKEN)
                .requestParameters(params)
                .responseElements(response)
                .requestId("secret-" + i)
                .errorMessage("Signature=" + SIGNATURE + " with secret " + SECRET_KEY)
                .decision(Decision.of(Decision.Outcome.Allow))
                .build();
    }
}
