package dev.portcullis.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponseElementsTest {

    @Test
    void theResultBecomesLowerCamelCaseJsonWithMembersAsArrays() {
        String xml = """
                <CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                  <CreateUserResult>
                    <User><Path>/svc/</Path><UserName>verifier</UserName><UserId>AIDAEXAMPLE</UserId>
                      <Arn>arn:aws:iam::111122223333:user/svc/verifier</Arn>
                      <Tags><member><Key>team</Key><Value>platform</Value></member><member><Key>env</Key><Value>dev</Value></member></Tags>
                    </User>
                  </CreateUserResult>
                  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
                </CreateUserResponse>""";
        var n = ResponseElements.of(xml);
        assertThat(n.at("/user/userName").asText()).isEqualTo("verifier");
        assertThat(n.at("/user/arn").asText()).isEqualTo("arn:aws:iam::111122223333:user/svc/verifier");
        assertThat(n.at("/user/tags").isArray()).isTrue();
        assertThat(n.at("/user/tags/1/value").asText()).isEqualTo("dev");
        assertThat(n.has("responseMetadata")).isFalse();
    }

    @Test
    void anEmptyResultOrAnAnswerWithoutOneHasNoElements() {
        assertThat(ResponseElements.of("<DeleteUserResponse><ResponseMetadata><RequestId>r</RequestId>"
                + "</ResponseMetadata></DeleteUserResponse>")).isNull();
        assertThat(ResponseElements.of("<AResponse><AResult></AResult></AResponse>")).isNull();
        assertThat(ResponseElements.of("not xml <")).isNull();
        assertThat(ResponseElements.of("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><XResponse><XResult>"
                + "<A>&e;</A></XResult></XResponse>")).isNull();
    }

    @Test
    void acronymsFoldWhole() {
        assertThat(ResponseElements.camel("ARN")).isEqualTo("arn");
        assertThat(ResponseElements.camel("MFADevice")).isEqualTo("mfaDevice");
        assertThat(ResponseElements.camel("AccessKeyId")).isEqualTo("accessKeyId");
        assertThat(ResponseElements.camel("member")).isEqualTo("member");
    }
}
