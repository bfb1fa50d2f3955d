package io.charter.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md and docs/*.md points at a file that exists and, when it names an anchor, at a
 * heading of that file (GitHub's anchors). Links to http(s) and mailto, and anything inside code, are not checked.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

    /** {@code [text](target)} and {@code ![alt](target)}, with an optional title after the target. */
    private static final Pattern LINK = Pattern.compile("\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```+|~~~+)");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
        }
        assertThat(files).as("README.md and docs/*.md").hasSizeGreaterThan(10);
        assertThat(brokenLinks(ROOT, files)).as("broken links (file: link: why)").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(anchor("Ledger schema (`peer/src/main/resources/db/migration/V1__ledger.sql`)"))
                .isEqualTo("ledger-schema-peersrcmainresourcesdbmigrationv1__ledgersql");
        assertThat(anchor("Contracts and joining: `contract package | install`, `channel join`"))
                .isEqualTo("contracts-and-joining-contract-package--install-channel-join");
        assertThat(anchor("Upgrading a running network (issue #12)")).isEqualTo("upgrading-a-running-network-issue-12");
        assertThat(anchor("See [the CLI](cli.md) **now**")).isEqualTo("see-the-cli-now");
        assertThat(anchors(List.of("# Tests", "## Tests", "```", "## Tests", "```", "### Tests")))
                .containsExactly("tests", "tests-1", "tests-2");
    }

    @Test
    void aBrokenLinkIsReportedWithItsFileAndLink(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Path readme = root.resolve("README.md");
        Path guide = root.resolve("docs/guide.md");
        Files.writeString(guide, """
                # Guide
                ## Two words
                ## Two words
                [ok](#two-words-1) [ok](../README.md#top) [ok](https://example.org/missing)
                `[in code](missing.md)`
                ```
                [in a block](missing.md)
                ```
                [bad anchor](#two-words-2) [bad file](missing.md) [bad anchor there](../README.md#nowhere)
                """);
        Files.writeString(readme, "# Top\n[ok](docs/guide.md#guide) [ok](docs/) [bad](docs/guide.md#top)\n");
        assertThat(brokenLinks(root, List.of(readme, guide))).containsExactly(
                "README.md: docs/guide.md#top: no heading with that anchor in docs/guide.md",
                "docs/guide.md: #two-words-2: no heading with that anchor in docs/guide.md",
                "docs/guide.md: missing.md: no such file",
                "docs/guide.md: ../README.md#nowhere: no heading with that anchor in README.md");
    }

    /** One line per broken link: {@code file: link: why}, the file relative to {@code root}. */
    static List<String> brokenLinks(Path root, List<Path> files) throws IOException {
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            String name = root.relativize(file).toString().replace('\\', '/');
            for (String link : links(Files.readAllLines(file))) {
                if (link.matches("(?i)(https?|mailto|ftp):.*") || link.startsWith("//")) {
                    continue;
                }
                int hash = link.indexOf('#');
                String path = hash < 0 ? link : link.substring(0, hash);
                String anchor = hash < 0 ? null : link.substring(hash + 1);
                Path target = path.isEmpty()
                        ? file
                        : file.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
                if (!Files.exists(target)) {
                    broken.add(name + ": " + link + ": no such file");
                    continue;
                }
                if (anchor == null) {
                    continue;
                }
                String targetName = root.relativize(target).toString().replace('\\', '/');
                if (!target.getFileName().toString().endsWith(".md") || Files.isDirectory(target)) {
                    broken.add(name + ": " + link + ": an anchor into " + targetName + ", which is not Markdown");
                    continue;
                }
                Set<String> known = anchorsByFile.get(target);
                if (known == null) {
                    known = anchors(Files.readAllLines(target));
                    anchorsByFile.put(target, known);
                }
                if (!known.contains(URLDecoder.decode(anchor, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))) {
                    broken.add(name + ": " + link + ": no heading with that anchor in " + targetName);
                }
            }
        }
        return broken;
    }

    /** The targets of the links outside code blocks and inline code, in order. */
    static List<String> links(List<String> lines) {
        List<String> links = new ArrayList<>();
        for (String line : outsideCodeBlocks(lines)) {
            Matcher m = LINK.matcher(withoutInlineCode(line));
            while (m.find()) {
                links.add(m.group(2));
            }
        }
        return links;
    }

    /** The anchors GitHub gives the headings (and the HTML anchors) of a Markdown file. */
    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : outsideCodeBlocks(lines)) {
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1).toLowerCase(Locale.ROOT));
            }
            Matcher m = HEADING.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String base = anchor(m.group(2));
            int count = seen.merge(base, 1, Integer::sum) - 1;
            anchors.add(count == 0 ? base : base + "-" + count);
        }
        return anchors;
    }

    /**
     * GitHub's anchor for a heading's text: the text as rendered (code spans without their backticks, links as
     * their text, no emphasis stars), lower-cased, every character but letters, digits, spaces, '-' and '_'
     * removed, and each space turned into '-'.
     */
    static String anchor(String heading) {
        String text = heading.replaceAll("`+", "")
                .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                .replace("*", "")
                .toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == ' ') {
                out.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static List<String> outsideCodeBlocks(List<String> lines) {
        List<String> kept = new ArrayList<>();
        String fence = null;
        for (String line : lines) {
            Matcher m = FENCE.matcher(line);
            if (fence == null && m.find()) {
                fence = m.group(1);
            } else if (fence != null && line.strip().startsWith(fence.substring(0, 3))
                    && line.strip().replaceAll("[`~]", "").isEmpty() && line.strip().length() >= fence.length()) {
                fence = null;
            } else if (fence == null) {
                kept.add(line);
            }
        }
        return kept;
    }

    /** The line with each code span (a run of backticks to the next run of the same length) blanked out. */
    private static String withoutInlineCode(String line) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            if (line.charAt(i) != '`') {
                out.append(line.charAt(i++));
                continue;
            }
            int run = i;
            while (run < line.length() && line.charAt(run) == '`') {
                run++;
            }
            String ticks = line.substring(i, run);
            int close = line.indexOf(ticks, run);
            while (close >= 0 && close + ticks.length() < line.length() && line.charAt(close + ticks.length()) == '`') {
                close = line.indexOf(ticks, close + ticks.length() + 1);
            }
            if (close < 0) {
                out.append(ticks);
                i = run;
            } else {
                out.append(" ".repeat(close + ticks.length() - i));
                i = close + ticks.length();
            }
        }
        return out.toString();
    }
}
