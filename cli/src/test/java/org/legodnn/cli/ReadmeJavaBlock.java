package org.legodnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's "Use it as a library" example as text, split the way a user would paste it into a program: its
 * {@code import} lines go above a class, the statements below them into a method. The tests take the example from
 * here, so the README is what gets compiled.
 *
 * @param imports the block's leading {@code import …;} lines
 * @param body    the rest of the block, from its first line after the imports, each line ending in a newline
 */
record ReadmeJavaBlock(List<String> imports, String body) {

    static final String SECTION = "## Use it as a library";

    /** The first {@code ```java} block of {@link #SECTION} in {@code readme}. */
    static ReadmeJavaBlock read(Path readme) throws IOException {
        String text = Files.readString(readme);
        int section = text.indexOf("\n" + SECTION + "\n");
        int from = section < 0 ? -1 : text.indexOf("\n```java\n", section);
        int to = from < 0 ? -1 : text.indexOf("\n```", from + 1);
        if (to < 0) {
            throw new IllegalStateException(readme + ": no ```java block under \"" + SECTION + "\"");
        }
        List<String> lines = text.substring(from + "\n```java\n".length(), to + 1).lines().toList();
        List<String> imports = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && lines.get(i).startsWith("import ")) {
            imports.add(lines.get(i++));
        }
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        StringBuilder body = new StringBuilder();
        lines.subList(i, lines.size()).forEach(line -> body.append(line).append('\n'));
        return new ReadmeJavaBlock(List.copyOf(imports), body.toString());
    }

    /**
     * {@code template} with {@code @IMPORTS@} replaced by the imports and {@code @BODY@} by the body, each line of
     * the body indented by {@code indent} spaces.
     */
    String fill(String template, int indent) {
        String pad = " ".repeat(indent);
        StringBuilder indented = new StringBuilder();
        body.lines().forEach(line -> indented.append(line.isEmpty() ? "" : pad + line).append('\n'));
        return template.replace("@IMPORTS@", String.join("\n", imports)).replace("@BODY@\n", indented.toString());
    }
}
