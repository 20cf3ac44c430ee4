package org.legodnn.cli;

import java.io.IOException;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/** A {@code pom.xml} read with the JDK's XML parser, so that tests can look up what the build declares. */
final class PomFile {

    private final Path file;
    private final Document document;

    private PomFile(Path file, Document document) {
        this.file = file;
        this.document = document;
    }

    static PomFile read(Path file) throws IOException {
        try {
            return new PomFile(file, DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(file + ": not a readable XML file: " + e.getMessage(), e);
        }
    }

    /** The text at {@code xpath} (element names without namespace, e.g. {@code /project/version}); fails when empty. */
    String text(String xpath) {
        String value;
        try {
            value = XPathFactory.newInstance().newXPath().evaluate(xpath, document).strip();
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("bad XPath " + xpath, e);
        }
        if (value.isEmpty()) {
            throw new IllegalStateException(file + ": nothing at " + xpath);
        }
        return value;
    }

    /** The version that {@code <pluginManagement>} pins for plugin {@code artifactId}. */
    String pinnedPluginVersion(String artifactId) {
        return text("/project/build/pluginManagement/plugins/plugin[artifactId='" + artifactId + "']/version");
    }
}
