package io.cartrescue.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class VersionProviderTest {

    @Test
    void versionIsTheProjectVersionWithoutAJarManifest() throws Exception {
        // Given the classes as the build leaves them in target/classes (no manifest, as in the container image)
        assertThat(Main.class.getPackage().getImplementationVersion()).isNull();
        final Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile()).getDocumentElement();
        String pomVersion = null;
        for (var node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
            if ("version".equals(node.getNodeName())) {
                pomVersion = node.getTextContent().strip();
            }
        }
        assertThat(pomVersion).isNotBlank();

        // When / Then
        assertThat(new VersionProvider().getVersion()).containsExactly("cart-rescue " + pomVersion);
    }
}
