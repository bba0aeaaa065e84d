package dev.citizen.gateway.waf.engine;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The XML request body processor: the JDK parser with external entities, external DTDs and
 * XInclude off (a request body must not make the gateway read files or the network), and the XML
 * collection on top: {@code XML:/*} is the root element's text (libxml2's node content, as
 * ModSecurity returns it), {@code XML://@*} every attribute value, other XPaths each node's text.
 */
final class XmlBody {
  private final Document document;

  private XmlBody(Document document) {
    this.document = document;
  }

  /** @throws Exception with the parser's message for a body that is not well-formed XML */
  static XmlBody parse(String body) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    DocumentBuilder builder = f.newDocumentBuilder();
    builder.setErrorHandler(new DefaultHandler() {
      @Override
      public void error(SAXParseException e) throws SAXParseException {
        throw e;
      }
    });
    builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    return new XmlBody(builder.parse(new ByteArrayInputStream(bytes)));
  }

  /** The values an XPath selects, as byte strings (UTF-8 bytes of the text). */
  List<String> select(String xpath) {
    List<String> out = new ArrayList<>();
    String x = xpath == null ? "/*" : xpath.strip();
    if (x.equals("/*")) {
      Node root = document.getDocumentElement();
      if (root != null) {
        out.add(bytes(root.getTextContent()));
      }
      return out;
    }
    if (x.equals("//@*")) {
      attributes(document.getDocumentElement(), out);
      return out;
    }
    try {
      Object r = XPathFactory.newInstance().newXPath().evaluate(x, document, XPathConstants.NODESET);
      NodeList nodes = (NodeList) r;
      for (int i = 0; i < nodes.getLength(); i++) {
        out.add(bytes(nodes.item(i).getTextContent()));
      }
    } catch (XPathExpressionException | ClassCastException e) {
      // An XPath the JDK cannot evaluate selects nothing, as a failed libxml2 evaluation does.
    }
    return out;
  }

  private static void attributes(Node node, List<String> out) {
    if (node == null) {
      return;
    }
    NamedNodeMap attrs = node.getAttributes();
    if (attrs != null) {
      for (int i = 0; i < attrs.getLength(); i++) {
        out.add(bytes(attrs.item(i).getNodeValue()));
      }
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE) {
        attributes(c, out);
      }
    }
  }

  private static String bytes(String text) {
    if (text == null) {
      return "";
    }
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
