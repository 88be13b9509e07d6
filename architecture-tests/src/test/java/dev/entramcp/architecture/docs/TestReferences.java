package dev.entramcp.architecture.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the docs' promises about tests honest: every test a doc names as
 * {@code `package.Class#method`} must be a test that {@code ./mvnw -B verify} runs. It reads the
 * repository's sources (the real one, or a fixture in a test) and reports every problem as one
 * line, {@code file:line: what is wrong}.
 *
 * <p>What counts as a test, decided from the sources alone (the test classes of the other modules
 * are not on this module's classpath, and a check that needs a build before it can run would
 * also pass on stale class files):
 * <ul>
 *   <li>the class is {@code <module>/src/test/java/<package>/<Class>.java} in a module of the
 *       root POM's default {@code <modules>} (not one a profile adds, such as the benchmarks);
 *       {@code Outer.Inner} names a class nested in it (JUnit's {@code @Nested});</li>
 *   <li>the class is neither abstract nor an interface (JUnit runs an abstract class's tests only
 *       through a subclass: name the subclass) and carries no {@code @Disabled};</li>
 *   <li>the method is declared in that class, or in a superclass found in the same test sources
 *       (a contract test's methods run in each subclass), with one of JUnit's {@code @Test},
 *       {@code @ParameterizedTest}, {@code @RepeatedTest}, {@code @TestFactory},
 *       {@code @TestTemplate}, or ArchUnit's {@code @ArchTest} (on a rule field or a method),
 *       and without {@code @Disabled}.</li>
 * </ul>
 * A name written without its package ({@code `RemoteHappyPathTest#foo`}) cannot be checked, so it
 * is a problem too. In {@value #CHECKLIST}, every table row must name at least one test, or say
 * why none proves it with a tests cell that starts with "none".
 */
final class TestReferences {

    /** The doc whose table rows must each name a test or say why there is none. */
    static final String CHECKLIST = "docs/security-checklist.md";

    static final Set<String> TEST_ANNOTATIONS = Set.of("Test", "ParameterizedTest", "RepeatedTest", "TestFactory",
            "TestTemplate", "ArchTest");

    private static final Pattern REFERENCE = Pattern.compile(
            "`((?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:\\.[A-Z][A-Za-z0-9_]*)*)#([A-Za-z_][A-Za-z0-9_]*)`");
    private static final Pattern UNQUALIFIED = Pattern.compile("`([A-Z][A-Za-z0-9_]*(?:\\.[A-Z][A-Za-z0-9_]*)*#[A-Za-z_][A-Za-z0-9_]*)`");
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    private static final Pattern TYPE = Pattern.compile("(?<![\\w.$@])(class|interface|enum|record)\\s+([A-Za-z_$][\\w$]*)");
    private static final Pattern EXTENDS = Pattern.compile("\\bextends\\s+([A-Za-z_$][\\w$.]*)");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+([\\w.]+?)(\\.\\*)?\\s*;");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern ANNOTATION = Pattern.compile("@([A-Za-z_$][\\w$.]*)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][\\w$]*");

    /** A test a doc names: {@code package.Outer.Inner#method}, at a line of a doc. */
    record Reference(Path doc, int line, String className, String method) {

        String text() {
            return className + "#" + method;
        }
    }

    private final Path root;
    private final List<Path> testRoots;
    private final Map<Path, JavaFile> parsed = new HashMap<>();

    private TestReferences(Path root) {
        this.root = root;
        this.testRoots = modules(root).stream().map(module -> root.resolve(module).resolve("src/test/java"))
                .filter(Files::isDirectory).toList();
    }

    /** Every problem of the test names in {@code README.md} and {@code docs/**}{@code /*.md} under {@code root}. */
    static List<String> problemsIn(Path root) {
        TestReferences check = new TestReferences(root);
        List<String> problems = new ArrayList<>();
        for (Path doc : docs(root)) {
            List<String> lines = read(doc);
            for (int i = 0; i < lines.size(); i++) {
                Matcher unqualified = UNQUALIFIED.matcher(lines.get(i));
                while (unqualified.find()) {
                    problems.add(check.where(doc, i + 1) + unqualified.group(1)
                            + ": name the test with its package (package.Class#method), so that it can be checked");
                }
            }
            for (Reference reference : referencesIn(doc)) {
                check.problemOf(reference).ifPresent(problem -> problems.add(check.where(doc, reference.line())
                        + reference.text() + ": " + problem));
            }
        }
        Path checklist = root.resolve(CHECKLIST);
        if (Files.isRegularFile(checklist)) {
            problems.addAll(check.rowsWithoutTest(checklist));
        }
        return List.copyOf(problems);
    }

    /** The tests a doc names, in order. */
    static List<Reference> referencesIn(Path doc) {
        List<Reference> references = new ArrayList<>();
        List<String> lines = read(doc);
        for (int i = 0; i < lines.size(); i++) {
            Matcher reference = REFERENCE.matcher(lines.get(i));
            while (reference.find()) {
                references.add(new Reference(doc, i + 1, reference.group(1), reference.group(2)));
            }
        }
        return references;
    }

    // ---------------------------------------------------------------- resolving one reference

    /** Why {@code reference} is not a test that runs, or empty when it is one. */
    private Optional<String> problemOf(Reference reference) {
        List<String> segments = List.of(reference.className().split("\\."));
        int firstType = 0;
        while (firstType < segments.size() && Character.isLowerCase(segments.get(firstType).charAt(0))) {
            firstType++;
        }
        String packagePath = String.join("/", segments.subList(0, firstType));
        List<String> types = segments.subList(firstType, segments.size());
        Path relative = Path.of(packagePath, types.get(0) + ".java");
        Optional<JavaFile> file = findTestSource(relative);
        if (file.isEmpty()) {
            return Optional.of("no test class: there is no " + relative + " under src/test/java in the build's modules");
        }
        Optional<TypeDecl> type = file.get().type(types);
        if (type.isEmpty()) {
            return Optional.of(types.get(0) + ".java declares no class " + String.join(".", types));
        }
        if (type.get().isAbstract()) {
            return Optional.of("JUnit does not run an abstract class or interface on its own: name a concrete subclass");
        }
        if (type.get().disabled()) {
            return Optional.of("the class is @Disabled");
        }
        Member found = member(file.get(), type.get(), reference.method(), new HashSet<>());
        return switch (found) {
            case TEST -> Optional.empty();
            case DISABLED -> Optional.of("the test is @Disabled");
            case NOT_A_TEST -> Optional.of("declared, but not a test: it has none of @"
                    + String.join(", @", TEST_ANNOTATIONS.stream().sorted().toList()));
            case ABSENT -> Optional.of("no method or rule of that name in the class or its superclasses");
        };
    }

    private enum Member { TEST, DISABLED, NOT_A_TEST, ABSENT }

    /** Looks for the member in the type, then up its superclasses as long as they are test sources here. */
    private Member member(JavaFile file, TypeDecl type, String name, Set<String> visited) {
        if (!visited.add(file.path() + "#" + type.qualifiedName())) {
            return Member.ABSENT;
        }
        Member own = file.member(type, name);
        if (own != Member.ABSENT) {
            return own;
        }
        Optional<String> superclass = type.superclass();
        if (superclass.isEmpty()) {
            return Member.ABSENT;
        }
        String simple = superclass.get().substring(superclass.get().lastIndexOf('.') + 1);
        Optional<TypeDecl> sameFile = file.types().stream().filter(candidate -> candidate.name().equals(simple)).findFirst();
        if (sameFile.isPresent() && !superclass.get().contains(".")) {
            return member(file, sameFile.get(), name, visited);
        }
        for (Path candidate : file.candidateFilesFor(superclass.get())) {
            Optional<JavaFile> other = findTestSource(candidate);
            if (other.isPresent()) {
                Optional<TypeDecl> top = other.get().type(List.of(simple));
                if (top.isPresent()) {
                    return member(other.get(), top.get(), name, visited);
                }
            }
        }
        return Member.ABSENT;
    }

    private Optional<JavaFile> findTestSource(Path relative) {
        for (Path testRoot : testRoots) {
            Path candidate = testRoot.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(parsed.computeIfAbsent(candidate, JavaFile::parse));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- the checklist's rows

    private List<String> rowsWithoutTest(Path checklist) {
        List<String> lines = read(checklist);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean header = i + 1 < lines.size() && lines.get(i + 1).strip().matches("\\|?\\s*:?-{3,}.*");
            if (!line.startsWith("|") || line.matches("\\|?\\s*:?-{3,}.*") || header) {
                continue;
            }
            List<String> cells = cells(line);
            String tests = cells.isEmpty() ? "" : cells.get(cells.size() - 1);
            boolean namesATest = REFERENCE.matcher(tests).find();
            boolean saysWhyNot = tests.toLowerCase(Locale.ROOT).startsWith("none");
            if (!namesATest && !saysWhyNot) {
                problems.add(where(checklist, i + 1) + "the row names no test (`package.Class#method`) and does not say "
                        + "why none proves it (a last cell starting with 'none')");
            }
        }
        return problems;
    }

    /** The cells of a table row, split on the pipes that are not inside a code span. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        for (char c : row.toCharArray()) {
            if (c == '`') {
                code = !code;
            }
            if (c == '|' && !code) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        if (!cells.isEmpty() && cells.get(0).isEmpty()) {
            cells.remove(0);
        }
        if (!cells.isEmpty() && cells.get(cells.size() - 1).isEmpty() && row.strip().endsWith("|")) {
            cells.remove(cells.size() - 1);
        }
        return cells;
    }

    // ---------------------------------------------------------------- the repository

    /** The modules of the root POM's default build: its first {@code <modules>}, not a profile's. */
    static List<String> modules(Path root) {
        String pom = String.join("\n", read(root.resolve("pom.xml")));
        int start = pom.indexOf("<modules>");
        int end = pom.indexOf("</modules>", Math.max(start, 0));
        List<String> modules = new ArrayList<>();
        if (start >= 0 && end > start) {
            Matcher module = MODULE.matcher(pom.substring(start, end));
            while (module.find()) {
                modules.add(module.group(1));
            }
        }
        return modules.isEmpty() ? List.of(".") : modules;
    }

    private static List<Path> docs(Path root) {
        List<Path> docs = new ArrayList<>();
        if (Files.isRegularFile(root.resolve("README.md"))) {
            docs.add(root.resolve("README.md"));
        }
        if (Files.isDirectory(root.resolve("docs"))) {
            try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
                files.filter(path -> path.toString().endsWith(".md")).sorted().forEach(docs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return docs;
    }

    private String where(Path doc, int line) {
        return root.relativize(doc) + ":" + line + ": ";
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- reading Java sources

    /** A class, interface, enum or record declared in a file, with the range of its body. */
    record TypeDecl(String kind, String name, String qualifiedName, int keyword, int bodyStart, int bodyEnd,
                    String modifiers, String header) {

        boolean isAbstract() {
            return kind.equals("interface") || Pattern.compile("\\babstract\\b").matcher(modifiers).find();
        }

        boolean disabled() {
            return annotationsIn(modifiers).contains("Disabled");
        }

        Optional<String> superclass() {
            String withoutTypeArguments = header;
            for (String previous = ""; !previous.equals(withoutTypeArguments); ) {
                previous = withoutTypeArguments;
                withoutTypeArguments = withoutTypeArguments.replaceAll("<[^<>]*>", " ");
            }
            Matcher superclass = EXTENDS.matcher(withoutTypeArguments);
            return kind.equals("class") && superclass.find() ? Optional.of(superclass.group(1)) : Optional.empty();
        }
    }

    /**
     * A Java file read just enough to find declarations: comments and literals blanked (so that every
     * brace, {@code @} and name left is code), its types and their bodies, its package and imports.
     */
    record JavaFile(Path path, String code, String packageName, List<String> imports, List<TypeDecl> types) {

        static JavaFile parse(Path path) {
            String code = blank(String.join("\n", read(path)));
            Matcher pkg = PACKAGE.matcher(code);
            String packageName = pkg.find() ? pkg.group(1) : "";
            List<String> imports = new ArrayList<>();
            Matcher importLine = IMPORT.matcher(code);
            while (importLine.find()) {
                imports.add(importLine.group(1) + (importLine.group(2) == null ? "" : ".*"));
            }
            List<TypeDecl> types = new ArrayList<>();
            Matcher type = TYPE.matcher(code);
            Deque<TypeDecl> enclosing = new ArrayDeque<>();
            while (type.find()) {
                int open = firstBraceOutsideParentheses(code, type.end());
                if (open < 0) {
                    continue;
                }
                int close = matchingBrace(code, open);
                while (!enclosing.isEmpty() && enclosing.peek().bodyEnd() < type.start()) {
                    enclosing.pop();
                }
                String qualified = (enclosing.isEmpty() ? "" : enclosing.peek().qualifiedName() + ".") + type.group(2);
                TypeDecl decl = new TypeDecl(type.group(1), type.group(2), qualified, type.start(), open, close,
                        code.substring(headerStart(code, type.start()), type.start()), code.substring(type.end(), open));
                types.add(decl);
                enclosing.push(decl);
            }
            return new JavaFile(path, code, packageName, List.copyOf(imports), List.copyOf(types));
        }

        /** The type named by {@code Outer.Inner...}, nested as named. */
        Optional<TypeDecl> type(List<String> names) {
            return types.stream().filter(type -> type.qualifiedName().equals(String.join(".", names))).findFirst();
        }

        /** Whether {@code type} itself declares {@code name} as a test method or rule field. */
        Member member(TypeDecl type, String name) {
            String members = memberLevel(type);
            Matcher declaration = Pattern.compile("(?<![\\w.$])" + Pattern.quote(name) + "\\s*([(=;])").matcher(members);
            Member best = Member.ABSENT;
            while (declaration.find()) {
                String header = members.substring(headerStart(members, declaration.start()), declaration.start());
                boolean field = !declaration.group(1).equals("(");
                String modifiersAndType = withoutAnnotations(header);
                if (modifiersAndType.contains("=") || !hasTypeBeforeName(modifiersAndType)) {
                    continue;
                }
                Set<String> annotations = annotationsIn(header);
                boolean test = field ? annotations.contains("ArchTest")
                        : annotations.stream().anyMatch(TEST_ANNOTATIONS::contains);
                Member found = !test ? Member.NOT_A_TEST : annotations.contains("Disabled") ? Member.DISABLED : Member.TEST;
                if (found.ordinal() < best.ordinal()) {
                    best = found;
                }
            }
            return best;
        }

        /**
         * The type's body with everything below its member level blanked: method bodies, initialisers'
         * braces' insides and nested types' bodies, so that only member declarations remain readable.
         */
        private String memberLevel(TypeDecl type) {
            StringBuilder members = new StringBuilder();
            int depth = 0;
            for (int i = type.bodyStart() + 1; i < type.bodyEnd(); i++) {
                char c = code.charAt(i);
                if (c == '{') {
                    depth++;
                    members.append(depth == 1 ? c : ' ');
                } else if (c == '}') {
                    members.append(depth == 1 ? c : ' ');
                    depth--;
                } else {
                    members.append(depth == 0 || c == '\n' ? c : ' ');
                }
            }
            return members.toString();
        }

        /** The files a superclass name may live in: same package, an import, a wildcard import. */
        List<Path> candidateFilesFor(String superclass) {
            Set<Path> candidates = new LinkedHashSet<>();
            if (superclass.contains(".")) {
                candidates.add(Path.of(superclass.replace('.', '/') + ".java"));
                return List.copyOf(candidates);
            }
            for (String imported : imports) {
                if (imported.endsWith("." + superclass)) {
                    candidates.add(Path.of(imported.replace('.', '/') + ".java"));
                }
            }
            candidates.add(Path.of(packageName.replace('.', '/'), superclass + ".java"));
            for (String imported : imports) {
                if (imported.endsWith(".*")) {
                    candidates.add(Path.of(imported.substring(0, imported.length() - 2).replace('.', '/'), superclass + ".java"));
                }
            }
            return List.copyOf(candidates);
        }
    }

    /** A member's header without its annotations and their arguments (which may hold {@code =}). */
    private static String withoutAnnotations(String header) {
        return header.replaceAll("@[\\w$.]+\\s*(\\((?:[^()]|\\([^()]*\\))*\\))?", " ");
    }

    /** Before a member's name: at least one name that is not a modifier (its type). */
    private static boolean hasTypeBeforeName(String modifiersAndType) {
        Matcher word = IDENTIFIER.matcher(modifiersAndType);
        Set<String> modifiers = Set.of("public", "protected", "private", "static", "final", "abstract", "synchronized",
                "default", "native", "strictfp", "transient", "volatile");
        while (word.find()) {
            if (!modifiers.contains(word.group())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> annotationsIn(String text) {
        Set<String> annotations = new HashSet<>();
        Matcher annotation = ANNOTATION.matcher(text);
        while (annotation.find()) {
            String name = annotation.group(1);
            annotations.add(name.substring(name.lastIndexOf('.') + 1));
        }
        return annotations;
    }

    /**
     * Where the declaration ending at {@code end} starts: just after the previous {@code ;}, {@code {} or
     * {@code }} outside parentheses (an annotation's arguments may hold braces), or at the start.
     */
    private static int headerStart(String code, int end) {
        int parentheses = 0;
        for (int i = end - 1; i >= 0; i--) {
            char c = code.charAt(i);
            if (c == ')') {
                parentheses++;
            } else if (c == '(') {
                parentheses--;
            } else if (parentheses <= 0 && (c == ';' || c == '{' || c == '}')) {
                return i + 1;
            }
        }
        return 0;
    }

    private static int firstBraceOutsideParentheses(String code, int from) {
        int parentheses = 0;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                parentheses++;
            } else if (c == ')') {
                parentheses--;
            } else if (c == ';' && parentheses == 0) {
                return -1;
            } else if (c == '{' && parentheses == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }

    /**
     * The source with comments, string literals, text blocks and character literals replaced by
     * spaces (line breaks kept), so that what remains is code.
     */
    static String blank(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = spaces(source, code, i, end < 0 ? source.length() : end);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = spaces(source, code, i, end < 0 ? source.length() : end + 2);
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < source.length() && !source.startsWith("\"\"\"", end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                code.append("\"\"\"");
                spaces(source, code, i + 3, Math.min(end, source.length()));
                code.append(end < source.length() ? "\"\"\"" : "");
                i = Math.min(end + 3, source.length());
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                code.append(c);
                spaces(source, code, i + 1, Math.min(end, source.length()));
                if (end < source.length() && source.charAt(end) == c) {
                    code.append(c);
                    end++;
                }
                i = Math.min(end, source.length());
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    private static int spaces(String source, StringBuilder code, int from, int to) {
        for (int i = from; i < to; i++) {
            code.append(source.charAt(i) == '\n' ? '\n' : ' ');
        }
        return to;
    }
}
