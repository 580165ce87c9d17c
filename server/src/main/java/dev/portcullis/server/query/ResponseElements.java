package dev.portcullis.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A Query API response's result as CloudTrail's {@code responseElements}: the children of
 * {@code <ActionResult>} with lower-camel-case names ({@code <User><UserName>} becomes
 * {@code {"user": {"userName": …}}}), lists of {@code <member>} as arrays, and text as strings. The
 * {@code ResponseMetadata} is left out (the request id is the event's own). Secrets are not removed
 * here: the event's {@code Redactor} does that by name and by shape, as for every other field.
 *
 * <p>CloudTrail records response elements only for operations that change something; read-only
 * calls carry none ("responseElements … is null for read-only operations",
 * <a href="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html">CloudTrail record contents</a>).
 */
public final class ResponseElements {

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XML.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    }

    private ResponseElements() {
    }

    /** The result's elements, or null when the response has no result (an empty answer) or is not XML. */
    public static ObjectNode of(String responseXml) {
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new StringReader(responseXml));
            try {
                return read(r);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            return null;
        }
    }

    private static ObjectNode read(XMLStreamReader r) throws XMLStreamException {
        int depth = 0;
        while (r.hasNext()) {
            if (r.next() == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth == 2 && r.getLocalName().endsWith("Result")) {
                    JsonNode result = element(r);
                    return result instanceof ObjectNode o && !o.isEmpty() ? o : null;
                }
            } else if (r.getEventType() == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        return null;
    }

    /** The element the reader is on, read to its end: text, an object of its children, or an array of members. */
    private static JsonNode element(XMLStreamReader r) throws XMLStreamException {
        ObjectNode object = null;
        ArrayNode array = null;
        StringBuilder text = new StringBuilder();
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                JsonNode child = element(r);
                if (name.equals("member")) {
                    if (array == null) {
                        array = JsonNodeFactory.instance.arrayNode();
                    }
                    array.add(child);
                } else {
                    if (object == null) {
                        object = JsonNodeFactory.instance.objectNode();
                    }
                    object.set(camel(name), child);
                }
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                text.append(r.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                break;
            }
        }
        if (array != null) {
            return array;
        }
        if (object != null) {
            return object;
        }
        return JsonNodeFactory.instance.textNode(text.toString());
    }

    /** {@code UserName} → {@code userName}; a leading acronym folds whole: {@code ARN} → {@code arn}, {@code MFADevice} → {@code mfaDevice}. */
    static String camel(String name) {
        int upper = 0;
        while (upper < name.length() && Character.isUpperCase(name.charAt(upper))) {
            upper++;
        }
        if (upper == 0) {
            return name;
        }
        if (upper == name.length()) {
            return name.toLowerCase(java.util.Locale.ROOT);
        }
        int fold = upper == 1 ? 1 : upper - 1;
        return name.substring(0, fold).toLowerCase(java.util.Locale.ROOT) + name.substring(fold);
    }
}
