package io.github.pointclip.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Post-processing, step by step, against hand-worked expectations. */
class PromptCleanerTest {

    private static final PromptCleaner PLAIN = new PromptCleaner(false, null, 77, false, 0);

    private static List<ChatChoice> answers(String... texts) {
        List<ChatChoice> out = new ArrayList<>();
        for (String t : texts) {
            out.add(new ChatChoice(t, false, "stop"));
        }
        return out;
    }

    /** Words + start and end of text: an independent, easily counted stand-in for the CLIP tokenizer. */
    private static final TokenCounter WORDS = text -> text.strip().split("\\s+").length + 2;

    @Test
    void numberingBulletsQuotesLabelsAndMarkupAreStripped() {
        assertEquals(List.of("A depth map of a chair.", "A 3D chair model.", "A chair seen from above.",
                "A grey chair.", "A chair made of points.", "Chair in depth."),
            PromptCleaner.sentences("1. A depth map of a chair.\n2) \"A 3D chair model.\"\n- **A chair** seen from above."
                + "\n(4) “A grey chair.”\nCaption 5: 'A chair made of points.'\n• Chair in depth."));
    }

    @Test
    void severalSentencesAreSplitButAbbreviationsAndDecimalsAreNot() {
        assertEquals(List.of("A chair with four legs.", "Its back is tall!", "Is it a stool?", "3D points form it."),
            PromptCleaner.sentences("A chair with four legs. Its back is tall! Is it a stool? 3D points form it."));
        assertEquals(List.of("A chair, e.g. an office chair, 1.5 m tall."),
            PromptCleaner.sentences("A chair, e.g. an office chair, 1.5 m tall."));
    }

    @Test
    void leadInsReasoningAndPreamblesGo() {
        assertEquals(List.of("A grey depth map of a chair."),
            PromptCleaner.sentences("Here is a caption: A grey depth map of a chair."));
        assertEquals(List.of("A chair."), PromptCleaner.sentences("<think>The user wants a caption.\nOk.</think>\nA chair."));
        assertEquals(List.of("A chair preamble."), PromptCleaner.sentences("A chair\u0000preamble."),
            "control characters go, so no answer can pass for the preamble marker");
        assertEquals(List.of(PromptCleaner.PREAMBLE), PromptCleaner.sentences("Here are some captions:"));
        PromptCleaner.Outcome o = PLAIN.process("chair", answers("Sure! Here are three captions:\n1. A chair.\n2. A seat.",
            "Certainly!\nA stool-like chair.", "Captions:\nA chair in depth."));
        assertEquals(List.of("A chair.", "A seat.", "A stool-like chair.", "A chair in depth."), o.prompts());
        assertEquals(3, o.report().dropped(DropReason.PREAMBLE));
        assertEquals(7, o.report().candidates());
        assertEquals(2, o.report().cleaned(), "numbering and lead-ins went from two answers; 'Certainly!' is a sentence");
        assertEquals(new CleaningCounts(1, 0, 0, 3, 4), o.report().cleaning(),
            "numbering from one answer; every answer split (a preamble line is a candidate too)");

        o = PLAIN.process("chair", answers("\"A chair in quotes.\"", "Caption: A chair with a label.",
            "- A chair. A second sentence about it. A third one.", "A plain chair."));
        assertEquals(new CleaningCounts(1, 1, 1, 1, 2), o.report().cleaning());
        assertEquals(o.report().answers() + o.report().cleaning().sentencesAdded(), o.report().candidates());
    }

    @Test
    void refusalsAndEmptyAnswersAreDroppedAndCounted() {
        List<ChatChoice> in = new ArrayList<>(answers("I'm sorry, but I can't view images.", "", "1.", " \"\" ",
            "As an AI, I have no eyes.", "A chair."));
        in.add(new ChatChoice("", true, "stop"));
        PromptCleaner.Outcome o = PLAIN.process("chair", in);
        assertEquals(List.of("A chair."), o.prompts());
        assertEquals(3, o.report().dropped(DropReason.REFUSAL), "two by their words, one marked by the server");
        assertEquals(3, o.report().dropped(DropReason.EMPTY));
        assertEquals(7, o.report().answers());
        assertEquals(7, o.report().candidates());
    }

    @Test
    void duplicatesIgnoreCaseAndWhitespaceAndTheFirstIsKept() {
        PromptCleaner.Outcome o = PLAIN.process("chair", answers("A Chair  in depth.", "a chair in DEPTH.",
            "1. A chair in depth.", "A chair in depth!"));
        assertEquals(List.of("A Chair in depth.", "A chair in depth!"), o.prompts());
        assertEquals(2, o.report().dropped(DropReason.DUPLICATE));
    }

    @Test
    void theClassNameIsRequiredInItsNaturalFormWithPlurals() {
        PromptCleaner c = new PromptCleaner(true, null, 77, false, 0);
        PromptCleaner.Outcome o = c.process("flower_pot", answers("A flower pot on a table.", "Two Flower Pots.",
            "A vase.", "A flowerpot.", "flower_pot", "A flower-pot."));
        assertEquals(List.of("A flower pot on a table.", "Two Flower Pots.", "A flower-pot."), o.prompts());
        assertEquals(3, o.report().dropped(DropReason.NO_CLASS_NAME));
        assertTrue(PromptCleaner.classNamePattern("bed").matcher("two beds").find());
        assertFalse(PromptCleaner.classNamePattern("bed").matcher("an embedded shape").find());
    }

    @Test
    void tooLongPromptsAreDroppedOrCutAtAWordBoundary() {
        // context 7 = at most 5 words with the counter above
        List<ChatChoice> in = answers("one two three four five, six seven", "one two three four five",
            "a b c", "supercalifragilistic");
        PromptCleaner drop = new PromptCleaner(false, WORDS, 7, false, 0);
        PromptCleaner.Outcome o = drop.process("x", in);
        assertEquals(List.of("one two three four five", "a b c", "supercalifragilistic"), o.prompts());
        assertEquals(1, o.report().dropped(DropReason.TOO_LONG));
        assertEquals(0, o.report().truncated());

        PromptCleaner cut = new PromptCleaner(false, WORDS, 7, true, 0);
        o = cut.process("x", in);
        assertEquals(List.of("one two three four five", "a b c", "supercalifragilistic"), o.prompts(),
            "cut to 'one two three four five' (comma gone), then a duplicate of the next one");
        assertEquals(1, o.report().truncated());
        assertEquals(1, o.report().dropped(DropReason.DUPLICATE), "deduplication runs after the cut");

        PromptCleaner tiny = new PromptCleaner(false, WORDS, 2, true, 0);
        o = tiny.process("x", answers("anything at all"));
        assertEquals(List.of(), o.prompts(), "not even one word fits");
        assertEquals(1, o.report().dropped(DropReason.TOO_LONG));
    }

    @Test
    void theCapIsAppliedLastAndTheCountsAddUp() {
        PromptCleaner c = new PromptCleaner(true, WORDS, 9, false, 2);
        PromptCleaner.Outcome o = c.process("chair", answers("A chair.", "A chair.", "A stool.", "I'm sorry, no.",
            "A very tall chair with many many legs.", "A red chair.", "A blue chair.", "A green chair."));
        assertEquals(List.of("A chair.", "A red chair."), o.prompts());
        ClassReport r = o.report();
        assertEquals(Map.of(DropReason.CUT_OFF, 0, DropReason.REFUSAL, 1, DropReason.PREAMBLE, 0, DropReason.EMPTY, 0,
            DropReason.NO_CLASS_NAME, 1, DropReason.TOO_LONG, 1, DropReason.DUPLICATE, 1, DropReason.OVER_CAP, 2),
            r.dropped());
        assertEquals(8, r.candidates());
        assertEquals(2, r.kept());
    }

    @Test
    void theCapTakesFamiliesAndCommandsInTurnNotTheFirstCommand() {
        PromptCleaner c = new PromptCleaner(false, null, 77, false, 4);
        List<List<ChatChoice>> perCommand = List.of(
            answers("A first chair.", "A second chair.", "A third chair."),   // family cap, command 0
            answers("A fourth chair.", "A fifth chair."),                     // family cap, command 1
            answers("A sixth chair.", "A seventh chair.", "An eighth chair.")); // family qa, command 2
        PromptCleaner.Outcome o = c.process("chair", perCommand, List.of("cap", "cap", "qa"));
        // order of the cap: first (cap/0), sixth (qa/2), fourth (cap/1), seventh (qa/2), second, ...; kept in library order
        assertEquals(List.of("A first chair.", "A fourth chair.", "A sixth chair.", "A seventh chair."), o.prompts());
        assertEquals(4, o.report().dropped(DropReason.OVER_CAP));
        assertEquals(8, o.report().answers());
        PromptCleaner.Outcome again = c.process("chair", perCommand, List.of("cap", "cap", "qa"));
        assertEquals(o.prompts(), again.prompts(), "deterministic");
    }

    @Test
    void answersCutAtMaxTokensAreDroppedUnlessTheyEndASentence() {
        List<ChatChoice> in = List.of(
            new ChatChoice("A depth map of a chair with four legs and a", false, "length"),
            new ChatChoice("A depth map of a chair.", false, "length"),
            new ChatChoice("\"Is that a chair?\"", false, "length"),
            new ChatChoice("A chair with a tall back and", false, "stop"),
            new ChatChoice("A chair seen from above.", false, null));
        PromptCleaner.Outcome o = PLAIN.process("chair", in);
        assertEquals(List.of("A depth map of a chair.", "Is that a chair?", "A chair with a tall back and",
            "A chair seen from above."), o.prompts());
        assertEquals(1, o.report().dropped(DropReason.CUT_OFF));
        assertEquals(5, o.report().candidates());
        assertEquals("cut_off", DropReason.CUT_OFF.key());
    }

    @Test
    void refusalsAreApologiesAndInabilityNotEveryICannot() {
        List<String> refusals = List.of("I cannot help with that.", "I can't view images.", "I'm unable to see pictures.",
            "I am not able to describe images.", "Unfortunately, I cannot provide that.", "I don't have the ability to see.",
            "I won't do that.", "As an AI, I have no eyes.", "I'm sorry, but no.", "I do not have access to images.");
        List<String> kept = List.of("I cannot stress enough how round a flower pot is.",
            "I can't imagine a chair without legs in this depth map.", "I don't think a chair looks flat in depth.");
        List<String> all = new ArrayList<>(refusals);
        all.addAll(kept);
        PromptCleaner.Outcome o = PLAIN.process("chair", answers(all.toArray(String[]::new)));
        assertEquals(kept, o.prompts());
        assertEquals(refusals.size(), o.report().dropped(DropReason.REFUSAL));
    }

    @Test
    void abbreviationsDoNotEndASentence() {
        assertEquals(List.of("A chair drawn by Dr. Smith in depth.", "A second sentence."),
            PromptCleaner.sentences("A chair drawn by Dr. Smith in depth. A second sentence."));
        assertEquals(List.of("Furniture, e.g. A chair with arms, seen in depth."),
            PromptCleaner.sentences("Furniture, e.g. A chair with arms, seen in depth."));
        assertEquals(List.of("A lamp (i.e. A light source) in a depth map.", "It is tall."),
            PromptCleaner.sentences("A lamp (i.e. A light source) in a depth map. It is tall."));
        assertEquals(List.of("A chair.", "A 2 m table."), PromptCleaner.sentences("A chair. A 2 m table."));
    }
}
