package dev.portcullis.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    private static QueryParameters parse(String form) {
        return QueryParameters.parse(form.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesFormEncodingIncludingPlusAndPercentUtf8() {
        QueryParameters p = parse("Action=CreateRole&RoleName=agent-planner&Description=plans+work+%E2%9C%93&Path=%2Fagents%2F");
        assertThat(p.required("Action")).isEqualTo("CreateRole");
        assertThat(p.required("Description")).isEqualTo("plans work \u2713");
        assertThat(p.required("Path")).isEqualTo("/agents/");
        assertThat(p.optional("MaxSessionDuration")).isEmpty();
    }

    @Test
    void foldsMemberListsAndStructures() {
        QueryParameters p = parse("PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FA"
                + "&Tags.member.1.Key=team&Tags.member.1.Value=layer-auth&Tags.member.2.Key=env&Tags.member.2.Value="
                + "&TransitiveTagKeys.member.1=team&TransitiveTagKeys.member.2=env");
        assertThat(p.list("TransitiveTagKeys")).containsExactly("team", "env");
        assertThat(p.structures("Tags")).containsExactly(Map.of("Key", "team", "Value", "layer-auth"), Map.of("Key", "env", "Value", ""));
        assertThat(p.structures("PolicyArns")).containsExactly(Map.of("arn", "arn:aws:iam::aws:policy/A"));
        assertThat(p.list("Nothing")).isEqualTo(List.of());
    }

    @Test
    void reportsMissingParameterInAwsWording() {
        assertThatThrownBy(() -> parse("Action=GetUser").required("UserName"))
                .isInstanceOf(QueryException.class)
                .hasMessage("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null")
                .extracting(e -> ((QueryException) e).code()).isEqualTo("ValidationError");
    }

    @Test
    void rejectsDuplicateParametersBadEscapesAndNonUtf8() {
        assertThatThrownBy(() -> parse("Action=A&Action=B")).isInstanceOf(QueryException.class)
                .extracting(e -> ((QueryException) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> parse("Action=%G1")).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> parse("Action=%E2%9C")).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> parse("Action=abc%")).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> QueryParameters.parse(new byte[] {'A', '=', (byte) 0xff})).isInstanceOf(QueryException.class);
    }

    @Test
    void boundsTheNumberOfParameters() {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i <= QueryParameters.MAX_PARAMETERS; i++) {
            form.append("p").append(i).append("=x&");
        }
        assertThatThrownBy(() -> parse(form.toString())).isInstanceOf(QueryException.class);
    }

    @Test
    void checksIntegerAndBooleanMembers() {
        QueryParameters p = parse("DurationSeconds=899&MaxItems=abc&Flag=TRUE");
        assertThatThrownBy(() -> p.integer("DurationSeconds", 900, 43200))
                .hasMessageContaining("Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
        assertThatThrownBy(() -> p.integer("MaxItems", 1, 1000)).isInstanceOf(QueryException.class);
        assertThat(p.bool("Flag")).contains(true);
    }

    @Test
    void writesResponsesAndErrorsInTheQueryShape() {
        String ok = QueryXml.response("GetUser", "https://iam.amazonaws.com/doc/2010-05-08/")
                .start("User").element("UserName", "a<b&c").element("Path", "/").end("User")
                .finish("GetUser", "req-1");
        assertThat(ok).contains("<GetUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">")
                .contains("<UserName>a&lt;b&amp;c</UserName>")
                .contains("<RequestId>req-1</RequestId>");
        String err = QueryXml.error(new QueryException("NoSuchEntity", "The user with name x cannot be found.", 404),
                "https://iam.amazonaws.com/doc/2010-05-08/", "req-2");
        assertThat(err).contains("<Type>Sender</Type>").contains("<Code>NoSuchEntity</Code>")
                .contains("<Message>The user with name x cannot be found.</Message>").contains("<RequestId>req-2</RequestId>");
    }
}
