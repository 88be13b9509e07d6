package dev.entramcp.architecture.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the docs from rotting: the code a doc shows must be the code in the repository, and the
 * files a doc names must exist. It reads a repository (the real one, or a fixture in a test) and
 * reports every problem as one line, {@code file:line: what is wrong}.
 *
 * <p>Three ways a doc is tied to the code:
 * <ul>
 *   <li><b>Snippets.</b> A source file marks a region with a line {@code // snippet:NAME} (or
 *       {@code # snippet:NAME}) and a line {@code // end-snippet}; regions may nest, and marker lines
 *       never belong to a region's text. A doc shows it in a fenced block whose info string holds
 *       {@code snippet:NAME}, for example {@code ```java snippet:list-my-groups-port}. The block must
 *       equal the region, indentation aside. Every marker must be shown by some doc, so none is left
 *       behind when a doc stops using it.</li>
 *   <li><b>Excerpts</b>, for files that carry no markers (another team's file, a configuration):
 *       {@code ```java excerpt:app-remote/src/main/java/.../RemoteWiring.java}. The block's lines must
 *       appear in that file as consecutive lines, each compared without its indentation.</li>
 *   <li><b>Named files.</b> An inline code span that is a path into the repository (its first folder is
 *       one of the repository's: {@code `docs/glossary.md`}, {@code `app-local/src/.../LocalScenarioIT.java`}
 *       with {@code ...} meaning any folders) or a bare Java or Markdown file name ({@code `GraphAdapter.java`})
 *       must name a file that exists, and so must a relative Markdown link. Paths outside the repository,
 *       such as a user's {@code .vscode/mcp.json}, are not checked.</li>
 * </ul>
 */
final class DocSnippets {

    private static final Pattern BEGIN = Pattern.compile("^\\s*(?://|#)\\s*snippet:([a-z0-9][a-z0-9-]*)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*(?://|#)\\s*end-snippet\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}```(.*)$");
    private static final Pattern SNIPPET_INFO = Pattern.compile("(?:^|\\s)snippet:(\\S+)");
    private static final Pattern EXCERPT_INFO = Pattern.compile("(?:^|\\s)excerpt:(\\S+)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\s]+)`");
    private static final Pattern PATH_LIKE = Pattern.compile("[A-Za-z0-9_.\\-/]*[A-Za-z0-9_\\-]\\.(java|md|yml|yaml|xml|properties|json)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".mvn", ".idea");
    private static final Set<String> SOURCE_EXTENSIONS = Set.of(".java", ".yml", ".yaml", ".properties", ".xml");

    /** A marked region of a source file. */
    record Region(String name, Path file, int line, List<String> lines) {
    }

    /** A fenced block of a doc that is tied to the code. */
    record Block(Path doc, int line, String info, List<String> lines) {
    }

    private final Path root;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Region> regions = new LinkedHashMap<>();
    private final Set<String> shown = new TreeSet<>();
    private List<Path> allFiles;

    private DocSnippets(Path root) {
        this.root = root;
    }

    /**
     * Every problem of the docs under {@code root}: {@code docs/**}{@code /*.md}, {@code bench/README.md} and {@code README.md}, against the
     * sources under every {@code <module>/src}.
     */
    static List<String> problemsIn(Path root) {
        DocSnippets check = new DocSnippets(root);
        check.readRegions();
        for (Path doc : check.docs()) {
            check.checkDoc(doc);
        }
        check.regions.values().stream().filter(region -> !check.shown.contains(region.name()))
                .forEach(region -> check.problem(region.file(), region.line(),
                        "marker 'snippet:" + region.name() + "' is shown by no doc"));
        return List.copyOf(check.problems);
    }

    /**
     * The docs under {@code docs/} that do not link back to the repository's {@code README.md}: a reader who lands
     * on any page from a search must find the entry point.
     */
    static List<String> docsWithoutLinkToTheReadme(Path root) {
        DocSnippets check = new DocSnippets(root);
        Path readme = root.resolve("README.md").normalize();
        List<String> missing = new ArrayList<>();
        for (Path doc : check.pages()) {
            Matcher link = LINK.matcher(String.join("\n", read(doc)));
            boolean found = false;
            while (link.find() && !found) {
                String target = link.group(1).replaceAll("#.*$", "");
                found = !target.isEmpty() && !target.contains("://") && doc.getParent().resolve(target).normalize().equals(readme);
            }
            if (!found) {
                missing.add(check.relative(doc));
            }
        }
        return missing;
    }

    /** The repository's root: the nearest folder, from the working directory up, with a pom.xml and a docs folder. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder with pom.xml and docs/) above " + Path.of("").toAbsolutePath());
    }

    // ---------------------------------------------------------------- sources

    private void readRegions() {
        for (Path file : files(root, this::isSource)) {
            List<String> lines = read(file);
            Deque<Region> open = new ArrayDeque<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher begin = BEGIN.matcher(line);
                if (begin.matches()) {
                    open.push(new Region(begin.group(1), file, i + 1, new ArrayList<>()));
                    continue;
                }
                if (END.matcher(line).matches()) {
                    if (open.isEmpty()) {
                        problem(file, i + 1, "'end-snippet' closes no 'snippet:' marker");
                    } else {
                        Region closed = open.pop();
                        Region earlier = regions.putIfAbsent(closed.name(), closed);
                        if (earlier != null) {
                            problem(file, closed.line(), "marker 'snippet:" + closed.name() + "' is also at "
                                    + relative(earlier.file()) + ":" + earlier.line());
                        }
                    }
                    continue;
                }
                open.forEach(region -> region.lines().add(line));
            }
            open.forEach(region -> problem(file, region.line(), "marker 'snippet:" + region.name() + "' has no 'end-snippet'"));
        }
    }

    /** A file under some module's {@code src} folder, of a kind that can carry markers. */
    private boolean isSource(Path path) {
        String name = path.getFileName().toString();
        return SOURCE_EXTENSIONS.stream().anyMatch(name::endsWith) && ("/" + relative(path)).contains("/src/");
    }

    // ---------------------------------------------------------------- docs

    /** Every page but the README: {@code docs/**}, and the benchmarks' own README beside their scripts. */
    private List<Path> pages() {
        List<Path> pages = new ArrayList<>(files(root.resolve("docs"), path -> path.toString().endsWith(".md")));
        if (Files.isRegularFile(root.resolve("bench/README.md"))) {
            pages.add(root.resolve("bench/README.md"));
        }
        return pages;
    }

    private List<Path> docs() {
        List<Path> docs = pages();
        if (Files.isRegularFile(root.resolve("README.md"))) {
            docs.add(0, root.resolve("README.md"));
        }
        return docs;
    }

    private void checkDoc(Path doc) {
        List<String> lines = read(doc);
        Block block = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (block == null && fence.matches()) {
                block = new Block(doc, i + 1, fence.group(1).trim(), new ArrayList<>());
            } else if (block != null && line.trim().equals("```")) {
                checkBlock(block);
                block = null;
            } else if (block != null) {
                block.lines().add(line);
            } else {
                checkNamedFiles(doc, i + 1, line);
            }
        }
        if (block != null) {
            problem(doc, block.line(), "code block is never closed");
        }
    }

    private void checkBlock(Block block) {
        Matcher snippet = SNIPPET_INFO.matcher(block.info());
        Matcher excerpt = EXCERPT_INFO.matcher(block.info());
        if (snippet.find()) {
            String name = snippet.group(1);
            shown.add(name);
            Region region = regions.get(name);
            if (region == null) {
                problem(block.doc(), block.line(), "snippet '" + name + "' has no 'snippet:" + name + "' marker in the sources");
                return;
            }
            List<String> expected = normalised(region.lines());
            List<String> actual = normalised(block.lines());
            if (!expected.equals(actual)) {
                problem(block.doc(), block.line(), "snippet '" + name + "' differs from " + relative(region.file()) + ":"
                        + region.line() + firstDifference(expected, actual));
            }
        } else if (excerpt.find()) {
            Path file = root.resolve(excerpt.group(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                problem(block.doc(), block.line(), "excerpt names a file that does not exist: " + excerpt.group(1));
                return;
            }
            List<String> source = read(file).stream().map(String::strip).toList();
            List<String> wanted = normalised(block.lines()).stream().map(String::strip).toList();
            if (wanted.isEmpty() || java.util.Collections.indexOfSubList(source, wanted) < 0) {
                problem(block.doc(), block.line(), "excerpt no longer matches consecutive lines of " + excerpt.group(1));
            }
        }
    }

    private void checkNamedFiles(Path doc, int line, String text) {
        Matcher span = CODE_SPAN.matcher(text);
        while (span.find()) {
            String name = span.group(1);
            if (PATH_LIKE.matcher(name).matches() && pointsIntoTheRepository(name) && !exists(name)) {
                problem(doc, line, "names a file that does not exist: " + name);
            }
        }
        Matcher link = LINK.matcher(text.replaceAll("`[^`]*`", ""));
        while (link.find()) {
            String target = link.group(1);
            if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) {
                continue;
            }
            String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
            Path resolved = doc.getParent().resolve(path).normalize();
            if (!path.isEmpty() && (!resolved.startsWith(root) || !Files.exists(resolved))) {
                problem(doc, line, "links to a file that does not exist: " + target);
            }
        }
    }

    /** A path whose first folder is a folder of the repository, or a bare Java or Markdown file name. */
    private boolean pointsIntoTheRepository(String name) {
        if (!name.contains("/")) {
            return name.endsWith(".java") || name.endsWith(".md");
        }
        String first = name.substring(0, name.indexOf('/'));
        return !first.isEmpty() && !first.equals(".") && !first.equals("..") && Files.isDirectory(root.resolve(first));
    }

    /** A path from the root; {@code ...} stands for any folders; a bare file name may be anywhere. */
    private boolean exists(String name) {
        if (!name.contains("/")) {
            return !files(root, path -> path.getFileName().toString().equals(name)).isEmpty();
        }
        if (!name.contains("...")) {
            Path resolved = root.resolve(name).normalize();
            return resolved.startsWith(root) && Files.exists(resolved);
        }
        Pattern wildcard = Pattern.compile(Pattern.quote(name).replace("...", "\\E.+\\Q"));
        return !files(root, path -> wildcard.matcher(relative(path)).matches()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** Without common indentation, trailing blanks, and blank lines at either end. */
    static List<String> normalised(List<String> lines) {
        List<String> stripped = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
        while (!stripped.isEmpty() && stripped.get(0).isEmpty()) {
            stripped.remove(0);
        }
        while (!stripped.isEmpty() && stripped.get(stripped.size() - 1).isEmpty()) {
            stripped.remove(stripped.size() - 1);
        }
        int indent = stripped.stream().filter(l -> !l.isEmpty())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return stripped.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }

    private static String firstDifference(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "(end of the marked region)";
            String got = i < actual.size() ? actual.get(i) : "(end of the block)";
            if (!want.equals(got)) {
                return ": at line " + (i + 1) + " of the block the code has [" + want.strip() + "] but the doc has ["
                        + got.strip() + "]";
            }
        }
        return "";
    }

    /** The repository's files under {@code start} that {@code wanted} accepts, never looking into build output. */
    private List<Path> files(Path start, Predicate<Path> wanted) {
        return allFiles().stream().filter(path -> path.startsWith(start)).filter(wanted).toList();
    }

    private List<Path> allFiles() {
        if (allFiles == null) {
            List<Path> found = new ArrayList<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        return SKIPPED_DIRECTORIES.contains(dir.getFileName().toString()) && !dir.equals(root)
                                ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        found.add(file);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            found.sort(null);
            allFiles = List.copyOf(found);
        }
        return allFiles;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String relative(Path file) {
        return root.relativize(file).toString();
    }

    private void problem(Path file, int line, String what) {
        problems.add(relative(file) + ":" + line + ": " + what);
    }
}
