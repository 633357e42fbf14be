package dev.amend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The command lines that README.md and docs/*.md show a user must parse against the command
 * tree of {@link AmendCli}: every subcommand and option they name exists, every value has the
 * type and arity its option takes, and no required option is missing. Only picocli's parser runs
 * ({@link CommandLine#parseArgs}); no command is called, so no model trains and the native engine
 * is not loaded.
 *
 * <p>A command line is a line of a fenced code block that starts with {@code amend } or
 * {@code ./amend } (lines ending in a backslash joined with the next), or an inline code span
 * that starts so. A shell comment ({@code # ...}) ends it, and so does a bare {@code ...}, which
 * the docs write for "more of the same". An inline span may end in an option without its value
 * ({@code `amend train --l2`}): that names the option, which must exist, and is not a command to
 * copy, so it is checked without the options the command would also require.
 *
 * <p>Beyond whole command lines, every {@code --name} in the docs' code (fenced or inline) must
 * be an option of some amend command, but for the few of other tools listed here.
 */
class DocsCommandLinesTest {
    /**
     * The placeholders the docs write where a value of a type other than text goes, and a
     * plausible value for each. Placeholders for paths and specs (DIR, RUN, OUT, SPEC, FILE)
     * parse as they are.
     */
    private static final Map<String, String> PLACEHOLDER_VALUES = Map.of(
            "N", "20",
            "S", "0",
            "K", "100",
            "K|auto", "auto",
            "F", "0.15",
            "COMMAND", "train");

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern INLINE_SPAN = Pattern.compile("(`+)(.+?)\\1", Pattern.DOTALL);
    private static final Pattern COMMAND_START = Pattern.compile("^(\\./)?amend\\s");

    /** Code shown in a doc (a fenced line or an inline span), where it starts, and whether it was fenced. */
    record DocCode(Path file, int line, String text, boolean fenced) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    @Test
    void everyCommandLineInTheDocsParses() throws IOException {
        List<DocCode> commands = new ArrayList<>();
        for (Path doc : docs()) {
            commands.addAll(commandLines(doc));
        }
        List<String> failures = new ArrayList<>();
        for (DocCode command : commands) {
            String problem = parseProblem(command);
            if (problem != null) {
                failures.add(command.where() + ": `" + command.text() + "`: " + problem);
            }
        }

        // The docs show well over a hundred command lines; finding few means the collection broke.
        assertThat(commands).hasSizeGreaterThan(100);
        assertThat(commands).anyMatch(DocCode::fenced);
        assertThat(failures).as("command lines in the docs that amend does not parse").isEmpty();
    }

    /**
     * Options the docs show in code that are not amend's, each with where it comes from. Any
     * other {@code --name} in the docs' code must be an option of some amend command, so that a
     * renamed option is not left behind in prose either.
     */
    private static final Map<String, String> OTHER_OPTIONS = Map.of(
            "--pools", "an option of scripts/bench-pytorch.py (docs/benchmarks.md)",
            "--series", "an option of scripts/acceptance-agreement.py (docs/results.md)",
            "--bogus", "the unknown option in the example of a parser error (docs/errors.md)");

    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    @Test
    void everyOptionTheDocsNameInCodeIsAnOptionOfAmend() throws IOException {
        Set<String> options = new TreeSet<>();
        collectOptionNames(AmendCli.commandLine(), options);
        List<String> unknown = new ArrayList<>();
        int named = 0;
        for (Path doc : docs()) {
            for (DocCode code : code(doc)) {
                Matcher option = LONG_OPTION.matcher(code.text());
                while (option.find()) {
                    named++;
                    if (!options.contains(option.group()) && !OTHER_OPTIONS.containsKey(option.group())) {
                        unknown.add(code.where() + ": " + option.group() + " in `" + code.text() + "`");
                    }
                }
            }
        }

        assertThat(named).isGreaterThan(100);
        assertThat(unknown).as("options named in the docs' code that no amend command has").isEmpty();
    }

    private static void collectOptionNames(CommandLine command, Set<String> names) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            names.addAll(List.of(option.names()));
        }
        command.getSubcommands().values().forEach(sub -> collectOptionNames(sub, names));
    }

    @Test
    void theCheckCatchesAnUnknownOptionAMissingValueAndAMissingRequiredOption() {
        Path doc = Path.of("example.md");
        assertThat(parseProblem(new DocCode(doc, 1, "amend train --no-such-option 3", true)))
                .contains("--no-such-option");
        assertThat(parseProblem(new DocCode(doc, 1, "amend no-such-command", true))).isNotNull();
        assertThat(parseProblem(new DocCode(doc, 1, "amend train --epochs", true))).isNotNull();
        assertThat(parseProblem(new DocCode(doc, 1, "amend train --epochs many", true))).contains("many");
        assertThat(parseProblem(new DocCode(doc, 1, "amend treat --run DIR", true))).contains("--ranking");
        assertThat(parseProblem(new DocCode(doc, 1, "amend treat --run DIR --ranking R", true))).isNull();
        // An inline mention of an option is checked for the option, not for the rest of a command.
        assertThat(parseProblem(new DocCode(doc, 1, "amend treat --ranking", false))).isNull();
        assertThat(parseProblem(new DocCode(doc, 1, "amend treat --rankings", false))).isNotNull();
    }

    @Test
    void commandLinesAreFoundInFencesAndSpansWithContinuationsAndComments() throws IOException {
        Path doc = Files.createTempFile("docs-command-lines", ".md");
        try {
            Files.writeString(doc, String.join("\n",
                    "Run `amend eval --run RUN` or `amend-cli` (not a command), or this one, which wraps: `amend train",
                    "--epochs 3`.",
                    "",
                    "```",
                    "./amend treat --run DIR \\",
                    "    --ranking R     # a comment",
                    "some output",
                    "```",
                    "| a table cell `amend demo --top-k K\\|auto` |",
                    ""));
            List<DocCode> found = commandLines(doc);

            assertThat(found).extracting(DocCode::text).containsExactly(
                    "amend eval --run RUN",
                    "amend train --epochs 3",
                    "./amend treat --run DIR --ranking R",
                    "amend demo --top-k K|auto");
            assertThat(found).extracting(DocCode::line).containsExactly(1, 1, 5, 9);
            assertThat(found).extracting(DocCode::fenced).containsExactly(false, false, true, false);
        } finally {
            Files.delete(doc);
        }
    }

    /** README.md and docs/*.md of the repository, found from the module's folder upwards. */
    private static List<Path> docs() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !(Files.isRegularFile(root.resolve("README.md")) && Files.isDirectory(root.resolve("docs")))) {
            root = root.getParent();
        }
        assertThat(root).as("the repository's root, with README.md and docs/").isNotNull();
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static List<DocCode> commandLines(Path doc) throws IOException {
        List<DocCode> commands = new ArrayList<>();
        for (DocCode code : code(doc)) {
            if (COMMAND_START.matcher(code.text() + " ").find()) {
                commands.add(new DocCode(doc, code.line(), withoutTail(code.text()), code.fenced()));
            }
        }
        return commands;
    }

    /**
     * The code a doc shows: each line of its fenced blocks, with lines ending in a backslash
     * joined with the next, and each inline code span.
     */
    private static List<DocCode> code(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<DocCode> code = new ArrayList<>();
        boolean inFence = false;
        int paragraphStart = -1;
        StringBuilder paragraph = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (FENCE.matcher(line).find()) {
                code.addAll(inlineSpans(doc, paragraph, paragraphStart));
                paragraph.setLength(0);
                inFence = !inFence;
            } else if (inFence) {
                int start = i + 1;
                String trimmed = line.strip();
                StringBuilder joined = new StringBuilder();
                while (trimmed.endsWith("\\") && i + 1 < lines.size()) {
                    joined.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    trimmed = lines.get(++i).strip();
                }
                joined.append(trimmed);
                code.add(new DocCode(doc, start, joined.toString(), true));
            } else if (line.isBlank()) {
                code.addAll(inlineSpans(doc, paragraph, paragraphStart));
                paragraph.setLength(0);
            } else {
                if (paragraph.isEmpty()) {
                    paragraphStart = i + 1;
                }
                paragraph.append(line).append('\n');
            }
        }
        code.addAll(inlineSpans(doc, paragraph, paragraphStart));
        return code;
    }

    /** The inline code spans of one paragraph, which may wrap over lines. */
    private static List<DocCode> inlineSpans(Path doc, CharSequence paragraph, int firstLine) {
        List<DocCode> spans = new ArrayList<>();
        // In a table an escaped pipe stands for a pipe, also inside a code span.
        String text = paragraph.toString().replace("\\|", "|");
        Matcher span = INLINE_SPAN.matcher(text);
        while (span.find()) {
            int line = firstLine + (int) text.substring(0, span.start()).chars().filter(c -> c == '\n').count();
            spans.add(new DocCode(doc, line, span.group(2).replace('\n', ' ').strip(), false));
        }
        return spans;
    }

    /** The command without a trailing shell comment, and with its spaces collapsed. */
    private static String withoutTail(String command) {
        String withoutComment = command.replaceFirst("\\s#.*$", "");
        return withoutComment.strip().replaceAll("\\s+", " ");
    }

    /** picocli's message for a command line it does not parse, or null when it parses. */
    static String parseProblem(DocCode command) {
        List<String> args = arguments(command.text());
        CommandLine amend = AmendCli.commandLine();
        if (!command.fenced() && (namesOnlyCommands(amend, args) || endsInOptionWithoutValue(amend, args))) {
            return mentionProblem(amend, args);
        }
        try {
            amend.parseArgs(args.toArray(String[]::new));
            return null;
        } catch (ParameterException e) {
            return e.getMessage();
        }
    }

    /** Whether the words are only a path of subcommands, such as {@code experiment treat-k}. */
    private static boolean namesOnlyCommands(CommandLine amend, List<String> args) {
        CommandLine current = amend;
        for (String arg : args) {
            current = current.getSubcommands().get(arg);
            if (current == null) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last word is an option that takes a value, given none. */
    private static boolean endsInOptionWithoutValue(CommandLine amend, List<String> args) {
        if (args.isEmpty()) {
            return false;
        }
        CommandLine current = amend;
        for (String arg : args.subList(0, args.size() - 1)) {
            current = current.getSubcommands().getOrDefault(arg, current);
        }
        OptionSpec last = current.getCommandSpec().findOption(args.get(args.size() - 1));
        return last != null && last.arity().min() > 0;
    }

    /**
     * The problem of a span that names a command or an option rather than showing a command to
     * copy: each subcommand must exist under the one before it, and each option in the command it
     * follows. Other words are values, which are not checked.
     */
    private static String mentionProblem(CommandLine amend, List<String> args) {
        CommandLine current = amend;
        for (String arg : args) {
            CommandSpec spec = current.getCommandSpec();
            if (arg.startsWith("-")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (spec.findOption(name) == null) {
                    return "Unknown option: '" + name + "' of '" + spec.qualifiedName() + "'";
                }
            } else if (current.getSubcommands().containsKey(arg)) {
                current = current.getSubcommands().get(arg);
            } else if (spec.positionalParameters().isEmpty() && !current.getSubcommands().isEmpty()) {
                return "Unknown subcommand: '" + arg + "' of '" + spec.qualifiedName() + "'";
            }
        }
        return null;
    }

    /** The words of a command line after {@code amend}, with quotes removed and placeholders replaced. */
    static List<String> arguments(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        List<String> args = new ArrayList<>();
        for (String w : words.subList(1, words.size())) {
            if (w.equals("...")) {
                break;
            }
            args.add(PLACEHOLDER_VALUES.getOrDefault(w, w));
        }
        return args;
    }
}
