package io.github.pointclip.prompts;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Post-processing of one class's answers into prompts, counting what each step drops (see {@link DropReason}
 * for the steps and their order). Pure and immutable: the same answers give the same prompts.
 */
final class PromptCleaner {

    private static final Pattern THINK = Pattern.compile("(?s)<think>.*?(</think>|$)");
    private static final Pattern MARKUP = Pattern.compile("\\*\\*|__|(?<![\\w*])\\*(?=\\S)|(?<=\\S)\\*(?![\\w*])");
    /** Bullets, list numbers ("1.", "2)", "(3)", "4 -", "#"), each followed by a blank. */
    private static final Pattern BULLET = Pattern.compile(
        "^(?:[-*•·–—+>]|\\(?\\d{1,3}[.):\\]]|\\d{1,3}\\s*[-–]|#{1,6})\\s+");
    /** Labels such as "Caption:", "Sentence 3:", "Answer -". */
    private static final Pattern LABEL = Pattern.compile(
        "^(?:caption|sentence|answer|description|paraphrase|prompt|output|response|rewritten sentence|paraphrased sentence)"
            + "(?:\\s*\\d{1,3})?\\s*[:–-]\\s*", Pattern.CASE_INSENSITIVE);
    /** "Sure! Here are five captions:" before the text. */
    private static final Pattern LEAD_IN = Pattern.compile(
        "^(?:(?:sure|certainly|of course|okay|ok|absolutely)[,!.]?\\s*)?(?:here(?:'s|’s| is| are)\\b[^:]{0,100}:)\\s*",
        Pattern.CASE_INSENSITIVE);
    private static final Pattern FILLER = Pattern.compile(
        "^(?:sure|certainly|of course|okay|ok|absolutely|great|got it)(?: thing)?[!.,]*$", Pattern.CASE_INSENSITIVE);
    /** What a model says it cannot do when it refuses (not "I cannot stress enough how round…"). */
    private static final String REFUSED_ACT = "(?:help|assist|provide|describe|see|view|look at|generate|create|write|"
        + "produce|make|comply|fulfil|fulfill|do (?:that|this|so)|answer|process|access|interpret|analy[sz]e|display|"
        + "perceive|render|share|offer|complete|support|tell|show|caption|browse)\\b";
    /**
     * Refusals, anchored at the start of a sentence: apologies, "as an AI", and inability followed by what the
     * model cannot do ("I can't help", "I'm unable to view", "I don't have the ability/access").
     */
    private static final Pattern REFUSAL = Pattern.compile(
        "^(?:i'?m sorry|i’m sorry|i am sorry|sorry[,!.]|i apologi[sz]e|as an ai\\b|as a (?:large )?language model\\b"
            + "|(?:unfortunately,?\\s+)?i(?:'m| am|’m)? (?:can(?:no|'|’)?t|cannot|unable to|not able to|won'?t|won’t|will not"
            + "|do not|don'?t|don’t)\\s+(?:be able to\\s+)?" + REFUSED_ACT
            + "|(?:unfortunately,?\\s+)?i(?:'m| am|’m) (?:unable|not able) to\\s+" + REFUSED_ACT
            + "|(?:unfortunately,?\\s+)?i (?:do not|don'?t|don’t) have (?:the ability|the capability|access|eyes|any way|a way"
            + "|visual|the means)\\b)",
        Pattern.CASE_INSENSITIVE);
    /** Words ending with a period that do not end a sentence. */
    private static final Set<String> ABBREVIATIONS = Set.of("dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "e.g.", "i.e.",
        "eg.", "ie.", "vs.", "approx.", "fig.", "figs.", "no.", "nos.", "jr.", "sr.", "inc.", "ltd.", "co.", "cf.", "al.",
        "ca.", "mt.", "sq.", "dept.", "est.", "gen.", "col.", "lt.",
        "sgt.", "capt.", "rev.", "vol.", "ed.");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\"“‘'(\\[]?[A-Z0-9])");
    private static final String QUOTES = "\"'“”‘’«»`";
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
    /** What {@link #sentences} gives for a line that only introduces; no cleaned text equals it (no control character survives). */
    static final String PREAMBLE = "\u0000preamble";

    private final boolean requireClassName;
    private final TokenCounter counter;
    private final int contextLength;
    private final boolean truncate;
    private final int maxPerClass;

    /**
     * @param requireClassName drop candidates without the class name
     * @param counter token counter, or null to skip the length check
     * @param contextLength the text encoder's context
     * @param truncate cut candidates that do not fit instead of dropping them
     * @param maxPerClass cap per class, 0 for none
     */
    PromptCleaner(boolean requireClassName, TokenCounter counter, int contextLength, boolean truncate, int maxPerClass) {
        this.requireClassName = requireClassName;
        this.counter = counter;
        this.contextLength = contextLength;
        this.truncate = truncate;
        this.maxPerClass = maxPerClass;
    }

    /** The outcome for one class. */
    record Outcome(List<String> prompts, ClassReport report) {
    }

    /** A candidate sentence and the command (and its family) whose answer gave it. */
    private record Candidate(String text, int command, int family) {
        Candidate with(String t) {
            return new Candidate(t, command, family);
        }
    }

    /** The answers of one command, as from {@link #process(String, List)}. */
    Outcome process(String className, List<ChatChoice> answers) {
        return process(className, List.of(answers), List.of(""));
    }

    /**
     * @param className the class
     * @param perCommand the answers of each command, in the library's order
     * @param familyOfCommand each command's family
     * @return the prompts and what each step did
     */
    Outcome process(String className, List<List<ChatChoice>> perCommand, List<String> familyOfCommand) {
        Map<DropReason, Integer> dropped = new EnumMap<>(DropReason.class);
        List<Candidate> candidates = new ArrayList<>();
        List<String> families = new ArrayList<>();
        int count = 0;
        int cleaned = 0;
        int answerCount = 0;
        int numbering = 0;
        int quotes = 0;
        int labels = 0;
        int split = 0;
        int added = 0;
        for (int k = 0; k < perCommand.size(); k++) {
            if (!families.contains(familyOfCommand.get(k))) {
                families.add(familyOfCommand.get(k));
            }
            int family = families.indexOf(familyOfCommand.get(k));
            for (ChatChoice answer : perCommand.get(k)) {
                answerCount++;
                if (answer.refused()) {
                    count++;
                    dropped.merge(DropReason.REFUSAL, 1, Integer::sum);
                    continue;
                }
                if (cutOff(answer)) {
                    count++;
                    dropped.merge(DropReason.CUT_OFF, 1, Integer::sum);
                    continue;
                }
                Tally tally = new Tally();
                List<String> sentences = sentences(answer.content(), tally);
                numbering += tally.numbering ? 1 : 0;
                quotes += tally.quotes ? 1 : 0;
                labels += tally.labels ? 1 : 0;
                if (sentences.size() > 1) {
                    split++;
                    added += sentences.size() - 1;
                }
                if (!String.join(" ", sentences).equals(BLANKS.matcher(answer.content().strip()).replaceAll(" "))) {
                    cleaned++;
                }
                for (String sentence : sentences) {
                    count++;
                    DropReason why = check(sentence);
                    if (why != null) {
                        dropped.merge(why, 1, Integer::sum);
                    } else {
                        candidates.add(new Candidate(sentence, k, family));
                    }
                }
            }
        }
        Pattern name = classNamePattern(className);
        List<Candidate> afterName = new ArrayList<>();
        for (Candidate c : candidates) {
            if (requireClassName && !name.matcher(c.text()).find()) {
                dropped.merge(DropReason.NO_CLASS_NAME, 1, Integer::sum);
            } else {
                afterName.add(c);
            }
        }
        int truncated = 0;
        List<Candidate> fitting = new ArrayList<>();
        for (Candidate c : afterName) {
            if (counter == null || counter.count(c.text()) <= contextLength) {
                fitting.add(c);
                continue;
            }
            String cut = truncate ? cut(c.text()) : null;
            if (cut == null) {
                dropped.merge(DropReason.TOO_LONG, 1, Integer::sum);
            } else {
                truncated++;
                fitting.add(c.with(cut));
            }
        }
        List<Candidate> unique = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Candidate c : fitting) {
            if (seen.add(dedupKey(c.text()))) {
                unique.add(c);
            } else {
                dropped.merge(DropReason.DUPLICATE, 1, Integer::sum);
            }
        }
        List<Candidate> kept = unique;
        if (maxPerClass > 0 && unique.size() > maxPerClass) {
            dropped.merge(DropReason.OVER_CAP, unique.size() - maxPerClass, Integer::sum);
            Set<Candidate> chosen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            chosen.addAll(roundRobin(unique, families.size()).subList(0, maxPerClass));
            kept = unique.stream().filter(chosen::contains).toList();
        }
        return new Outcome(kept.stream().map(Candidate::text).toList(), new ClassReport(className, answerCount, cleaned,
            new CleaningCounts(numbering, quotes, labels, split, added), count, truncated, dropped, kept.size()));
    }

    /**
     * The order the cap takes candidates in: one from each family in turn, each family taking one from each of
     * its commands in turn (each command's in the order they came), so that K prompts spread over the families
     * and commands instead of all coming from the first.
     */
    private static List<Candidate> roundRobin(List<Candidate> candidates, int familyCount) {
        List<List<Candidate>> perFamily = new ArrayList<>();
        for (int f = 0; f < familyCount; f++) {
            int family = f;
            List<List<Candidate>> perCommand = new ArrayList<>(candidates.stream().filter(c -> c.family() == family)
                .collect(java.util.stream.Collectors.groupingBy(Candidate::command, java.util.TreeMap::new,
                    java.util.stream.Collectors.toList())).values());
            perFamily.add(interleave(perCommand));
        }
        return interleave(perFamily);
    }

    private static <T> List<T> interleave(List<List<T>> lists) {
        List<T> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            boolean any = false;
            for (List<T> l : lists) {
                if (i < l.size()) {
                    out.add(l.get(i));
                    any = true;
                }
            }
            if (!any) {
                return out;
            }
        }
    }

    /** Cut at max_tokens and not ending a sentence (closing quotes and brackets aside). */
    static boolean cutOff(ChatChoice answer) {
        if (!"length".equals(answer.finishReason())) {
            return false;
        }
        String t = answer.content().strip();
        int end = t.length();
        while (end > 0 && (QUOTES.indexOf(t.charAt(end - 1)) >= 0 || ")]*_".indexOf(t.charAt(end - 1)) >= 0)) {
            end--;
        }
        return end == 0 || ".!?".indexOf(t.charAt(end - 1)) < 0;
    }

    /** The reason an isolated sentence is dropped (refusal, preamble, empty), or null. */
    private static DropReason check(String sentence) {
        if (sentence.equals(PREAMBLE)) {
            return DropReason.PREAMBLE;
        }
        if (!LETTER.matcher(sentence).find()) {
            return DropReason.EMPTY;
        }
        if (REFUSAL.matcher(sentence).find()) {
            return DropReason.REFUSAL;
        }
        if (FILLER.matcher(sentence).matches()) {
            return DropReason.PREAMBLE;
        }
        return null;
    }

    /**
     * The cleaned sentences of an answer: reasoning blocks removed, one entry per line, each line stripped of
     * bullets, numbers, labels, quotes and lead-ins, then split into sentences. A line that is only a lead-in
     * comes back marked as a preamble; an answer with no text at all comes back as one empty sentence.
     */
    static List<String> sentences(String answer) {
        return sentences(answer, new Tally());
    }

    /** What cleaning did to one answer. */
    static final class Tally {
        boolean numbering;
        boolean quotes;
        boolean labels;
    }

    static List<String> sentences(String answer, Tally tally) {
        String text = THINK.matcher(answer).replaceAll(" ");
        List<String> out = new ArrayList<>();
        for (String rawLine : text.split("\\R")) {
            String line = cleanLine(rawLine, tally);
            if (line.isEmpty()) {
                continue;
            }
            String rest = LEAD_IN.matcher(line).replaceFirst("");
            if (rest.isEmpty() || line.endsWith(":")) {
                out.add(PREAMBLE);
                continue;
            }
            tally.labels |= !rest.equals(line);
            for (String s : splitSentences(cleanLine(rest, tally))) {
                String c = cleanLine(s, tally);
                if (!c.isEmpty()) {
                    out.add(c);
                }
            }
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    private static String cleanLine(String line, Tally tally) {
        String s = MARKUP.matcher(CONTROL.matcher(line).replaceAll(" ")).replaceAll("").strip();
        String before;
        do {
            before = s;
            String t = BULLET.matcher(s).replaceFirst("");
            tally.numbering |= !t.equals(s);
            s = LABEL.matcher(t).replaceFirst("");
            tally.labels |= !s.equals(t);
            t = stripQuotes(s);
            tally.quotes |= !t.equals(s);
            s = t;
        } while (!s.equals(before));
        return BLANKS.matcher(s).replaceAll(" ");
    }

    /** Splits at sentence ends, but not after an abbreviation such as "Dr." or "e.g.". */
    static List<String> splitSentences(String line) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = SENTENCE_END.matcher(line);
        int start = 0;
        while (m.find()) {
            String before = line.substring(start, m.start());
            int space = Math.max(before.lastIndexOf(' '), before.lastIndexOf('('));
            String lastWord = before.substring(space + 1).toLowerCase(Locale.ROOT);
            while (!lastWord.isEmpty() && QUOTES.indexOf(lastWord.charAt(0)) >= 0) {
                lastWord = lastWord.substring(1);
            }
            if (ABBREVIATIONS.contains(lastWord)) {
                continue;
            }
            out.add(before);
            start = m.end();
        }
        out.add(line.substring(start));
        return out;
    }

    private static String stripQuotes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (QUOTES.indexOf(s.charAt(start)) >= 0 || Character.isWhitespace(s.charAt(start)))) {
            start++;
        }
        while (end > start && (QUOTES.indexOf(s.charAt(end - 1)) >= 0 || Character.isWhitespace(s.charAt(end - 1)))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** The class's natural name as a word, case-insensitive, plural allowed. */
    static Pattern classNamePattern(String className) {
        String[] words = CommandLibrary.naturalName(className).toLowerCase(Locale.ROOT).split("\\s+");
        StringBuilder re = new StringBuilder("(?<![\\p{L}\\p{N}])");
        for (int i = 0; i < words.length; i++) {
            re.append(i == 0 ? "" : "[\\s-]+").append(Pattern.quote(words[i]));
        }
        re.append("(?:s|es)?(?![\\p{L}\\p{N}])");
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** @return the key two prompts share when they differ only in case and whitespace */
    static String dedupKey(String prompt) {
        return BLANKS.matcher(prompt.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
    }

    /** The longest prefix of whole words that fits the context, without trailing commas and the like; null if none. */
    private String cut(String prompt) {
        String[] words = prompt.split(" ");
        int lo = 0;
        int hi = words.length - 1; // the whole prompt does not fit
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (counter.count(join(words, mid)) <= contextLength) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo == 0) {
            return null;
        }
        String cut = join(words, lo).replaceAll("[\\s,;:–—-]+$", "");
        return LETTER.matcher(cut).find() ? cut : null;
    }

    private static String join(String[] words, int n) {
        return String.join(" ", java.util.Arrays.asList(words).subList(0, n));
    }
}
