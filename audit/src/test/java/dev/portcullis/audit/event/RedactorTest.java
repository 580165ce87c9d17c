package dev.portcullis.audit.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"SecretAccessKey", "secretAccessKey", "SessionToken", "X-Amz-Security-Token",
            "X-Amz-Signature", "Signature", "Authorization", "Password", "NewPassword", "PrivateKey", "client_secret"})
    void treatsSecretFieldNamesAsSecretWhateverTheirCase(String name) {
        assertThat(Redactor.isSecretName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UserName", "RoleArn", "AccessKeyId", "SignatureVersion", "NextToken", "PolicyDocument"})
    void keepsOrdinaryFieldNames(String name) {
        assertThat(Redactor.isSecretName(name)).isFalse();
    }

    @Test
    void replacesTheValueOfSecretFieldsAtAnyDepth() throws Exception {
        JsonNode in = JSON.readTree("{\"Credentials\":{\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":{\"nested\":1},"
                + "\"SessionToken\":\"abc\"},\"list\":[{\"Password\":\"p\"}]}");
        JsonNode out = Redactor.redact(in);
        assertThat(out.at("/Credentials/AccessKeyId").asText()).isEqualTo("ASIAEXAMPLE");
        assertThat(out.at("/Credentials/SecretAccessKey").asText()).isEqualTo(Redactor.HIDDEN);
        assertThat(out.at("/Credentials/SessionToken").asText()).isEqualTo(Redactor.HIDDEN);
        assertThat(out.at("/list/0/Password").asText()).isEqualTo(Redactor.HIDDEN);
        assertThat(in.at("/Credentials/SessionToken").asText()).as("the input is not modified").isEqualTo("abc");
    }

    @Test
    void replacesSecretShapedValuesUnderInnocentNames() {
        assertThat(Redactor.redactText(Events.SECRET_KEY)).isEqualTo(Redactor.HIDDEN);
        assertThat(Redactor.redactText(Events.SESSION_TOKEN)).isEqualTo(Redactor.HIDDEN);
        assertThat(Redactor.redactText(Events.PRIVATE_KEY)).isEqualTo(Redactor.HIDDEN);
        assertThat(Redactor.redactText("key " + Events.SECRET_KEY + " leaked")).isEqualTo("key " + Redactor.HIDDEN + " leaked");
        assertThat(Redactor.redactText("https://h/p?X-Amz-Signature=" + Events.SIGNATURE + "&a=b"))
                .isEqualTo("https://h/p?X-Amz-Signature=" + Redactor.HIDDEN + "&a=b");
    }

    @Test
    void keepsOrdinaryValues() {
        for (String s : new String[] {"arn:aws:iam::111122223333:role/verification-service", "AKIAIOSFODNN7EXAMPLE",
                "User is not authorized to perform: iam:CreateRole", Events.SIGNATURE.substring(0, 40),
                "2026-11-20T10:00:00Z", "The request signature we calculated does not match the signature you provided."}) {
            assertThat(Redactor.redactText(s)).isEqualTo(s);
        }
    }

    @Test
    void anEventCannotHoldTheSecretsItWasBuiltWith() {
        AuditEvent e = Events.fullOfSecrets(1);
        String json = EventJson.toJson(e).toString();
        for (String secret : Events.ALL_SECRETS) {
            assertThat(json).doesNotContain(secret);
        }
        assertThat(e.toString()).doesNotContain(Events.SECRET_KEY);
        assertThat(json).contains("ASIAEXAMPLEKEYID0001").contains("alice");
    }

    @Test
    void eventJsonRoundTripsEveryField() {
        AuditEvent e = Events.invoke(7);
        assertThat(EventJson.fromJson(EventJson.toJson(e))).isEqualTo(e);
        AuditEvent s = Events.fullOfSecrets(2);
        assertThat(EventJson.fromJson(EventJson.toJson(s))).isEqualTo(s);
    }

    @Test
    void theOnePassPreCheckLetThroughEveryTextTheSecretParameterPatternMatches() {
        // The pattern only runs when the pre-check says yes: a miss would leave a secret in the trail.
        String[] parts = {"x-amz-signature", "X-Amz-Security-Token", "SIGNATURE", "SiGnAtUrE", "sessiontoken",
            "SessionToken", "secretaccesskey", "SecretAccessKey", "password", "PASSWORD", "passwor", "signatur",
            "toke", "secre", "=", ":", ": \"", " ", "&", ";", ",", "abc", "Z9", "\u017fecret", "\u212aey", "\u0130",
            "t\u00f6ken", "\u00e9", "s", "t", "p", "S", "T", "P", "\ud83d\ude00"};
        java.util.Random random = new java.util.Random(46);
        int matched = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(8); k >= 0; k--) {
                text.append(parts[random.nextInt(parts.length)]);
            }
            String t = text.toString();
            if (Redactor.SIGNATURE_PARAM.matcher(t).find()) {
                matched++;
                assertThat(Redactor.namesASecret(t)).as(t).isTrue();
            }
        }
        assertThat(matched).as("texts the pattern matched").isGreaterThan(10_000);
        assertThat(Redactor.namesASecret("arn:aws:execute-api:us-east-1:111122223333:api/prod/GET/x")).isFalse();
        assertThat(Redactor.namesASecret("a=SigNature")).isTrue();
    }

    @Test
    void longTokensAreFoundByHandExactlyWhereThePatternsFindThem() {
        String token = "AZaz09/+=_-.%";
        String[] separators = {" ", "#", ":", "&", "\u00e9", "\"", ",", "\n"};
        java.util.Random random = new java.util.Random(100);
        int replaced = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(4); k >= 0; k--) {
                int run = random.nextInt(3) == 0 ? 95 + random.nextInt(10) : random.nextInt(130);
                for (int j = 0; j < run; j++) {
                    text.append(token.charAt(random.nextInt(random.nextInt(8) == 0 ? token.length() : token.length() - 1)));
                }
                if (random.nextInt(4) != 0) {
                    text.append(separators[random.nextInt(separators.length)]);
                }
            }
            String t = text.toString();
            String expected = Redactor.EMBEDDED_LONG_TOKEN.matcher(t).replaceAll(Redactor.HIDDEN);
            assertThat(Redactor.replaceLongTokens(t)).as(t).isEqualTo(expected);
            if (!expected.equals(t)) {
                replaced++;
            }
            if (t.length() != 40) {
                assertThat(Redactor.isSecretShaped(t)).as(t).isEqualTo(Redactor.LONG_TOKEN_SHAPE.matcher(t).matches());
            }
        }
        assertThat(replaced).as("texts with a long token").isGreaterThan(2_000);
        String sdk = "aws-sdk-java/2.29.52 md/io#sync md/http#Apache ua/2.1 os/Linux#6.1 lang/java#17.0.15"
                + " md/OpenJDK_64-Bit_Server_VM#17.0.15 md/vendor#Debian md/en_US m/D";
        assertThat(Redactor.redactText(sdk)).isEqualTo(sdk);
    }

    @Test
    void textThePreCheckWavesThroughIsTextEveryStepWouldHaveLeftAsItIs() {
        // Pieces that bring texts to the edge of every step: runs of 39-41 base64 and 99-101 token characters,
        // secret names with and without a separator, the PEM and SigV4 markers, mixed case and non-ASCII.
        String[] pieces = {"Ab1", "xY9/", "+", "=", ":", " ", "%", "-", "_", ".", "&", "\u00e9", "\"", "signature",
            "Token", "SECRET", "pass", "word", "-----BEGIN", "AWS4-HMAC-SHA256", "md/io#sync", "Linux/6.1"};
        java.util.Random random = new java.util.Random(7);
        int redacted = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(6); k >= 0; k--) {
                if (random.nextInt(3) == 0) {
                    int run = random.nextBoolean() ? 38 + random.nextInt(4) : 98 + random.nextInt(4);
                    String alphabet = random.nextBoolean() ? "aZ3+/" : "aZ3+/=_-.%";
                    for (int j = 0; j < run; j++) {
                        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                } else {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
            }
            String t = text.toString();
            String full = Redactor.redactTextFully(t);
            if (!Redactor.mayHoldSecret(t)) {
                assertThat(full).as(t).isEqualTo(t);
            }
            assertThat(Redactor.redactText(t)).as(t).isEqualTo(t.length() < 40 && t.indexOf('=') < 0
                    && t.indexOf(':') < 0 ? t : full);
            if (!full.equals(t)) {
                redacted++;
            }
        }
        assertThat(redacted).as("texts with something to redact").isGreaterThan(20_000);
    }
}
