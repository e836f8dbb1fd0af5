package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.models.Capture;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.tasks.ZeroShotClassification.Options;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** zero-shot-classification's hypotheses, both normalisations and the order, worked out by hand from the run's logits. */
class ZeroShotClassificationTest {
    private static final double EPS = 1e-12;
    private static final List<String> NLI = List.of("contradiction", "neutral", "entailment");

    @TempDir
    Path dir;

    private ZeroShotClassification nli(List<String> labels) {
        return new ZeroShotClassification(TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve("m" + labels.hashCode()),
                "BertForSequenceClassification", labels, c -> { })), null));
    }

    @Test
    void eachLabelBecomesAHypothesisPairedWithTheSequence() {
        ZeroShotClassification.Result r = nli(NLI).classify("john lives in paris", List.of("city", "cat"),
                new Options("it was {}.", false), Capture.NONE);
        assertEquals(List.of("[CLS]", "john", "lives", "in", "paris", "[SEP]", "it", "was", "city", ".", "[SEP]"),
                r.run().encodings().get(0).tokens());
        assertEquals("cat", r.run().encodings().get(1).tokens().get(8));
    }

    @Test
    void singleLabelSoftmaxesEntailmentAcrossLabelsBestFirst() {
        ZeroShotClassification.Result r = nli(NLI).classify("the cat sat", List.of("city", "cat", "paris"), Options.DEFAULTS,
                Capture.NONE);
        double[] entail = new double[3];
        double z = 0;
        for (int i = 0; i < 3; i++) {
            entail[i] = Math.exp(r.run().logits(i, -1)[2]);
            z += entail[i];
        }
        List<String> labels = List.of("city", "cat", "paris");
        for (int k = 0; k < 3; k++) {
            int i = labels.indexOf(r.labels().get(k));
            assertEquals(entail[i] / z, r.scores().get(k), EPS);
        }
        assertEquals(true, r.scores().get(0) >= r.scores().get(1) && r.scores().get(1) >= r.scores().get(2));
    }

    @Test
    void multiLabelSoftmaxesEntailmentAgainstContradictionPerLabel() {
        ZeroShotClassification.Result r = nli(NLI).classify("the cat sat", List.of("city", "cat"), new Options("This example is {}.",
                true), Capture.NONE);
        List<String> labels = List.of("city", "cat");
        for (int k = 0; k < 2; k++) {
            float[] l = r.run().logits(labels.indexOf(r.labels().get(k)), -1);
            assertEquals(Math.exp(l[2]) / (Math.exp(l[0]) + Math.exp(l[2])), r.scores().get(k), EPS);
        }
        // entailment at index 0: the contradiction logit is the last one
        ZeroShotClassification first = nli(List.of("entailment", "neutral", "contradiction"));
        ZeroShotClassification.Result one = first.classify("the cat sat", List.of("cat"), Options.DEFAULTS, Capture.NONE);
        float[] l = one.run().logits(0, -1);
        assertEquals(Math.exp(l[0]) / (Math.exp(l[2]) + Math.exp(l[0])), one.scores().getFirst(), EPS);
    }

    @Test
    void equalScoresPutTheLaterLabelFirst() {
        ZeroShotClassification.Result r = nli(NLI).classify("the cat", List.of("cat", "cat", "city"), Options.DEFAULTS, Capture.NONE);
        // the two "cat" hypotheses give identical logits
        assertEquals(r.scores().get(r.labels().indexOf("cat")), r.scores().get(r.labels().lastIndexOf("cat")), 0);
    }

    @Test
    void templatesFormatLikePythonsStrFormat() {
        assertEquals("This example is sports.", ZeroShotClassification.format("This example is {}.", "sports"));
        assertEquals("{sports} x", ZeroShotClassification.format("{{{0}}} x", "sports"));
        assertEquals(List.of("a", "b c"), ZeroShotClassification.parseLabels(" a, ,b c,"));
        ZeroShotClassification z = nli(NLI);
        assertEquals("the hypothesis template \"no field\" was not able to be formatted with the labels: put {} where the label goes",
                assertThrows(IllegalArgumentException.class, () -> z.classify("x", List.of("a"), new Options("no field", false),
                        Capture.NONE)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassification.format("{} and {}", "a"));
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassification.format("{label}", "a"));
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassification.format("a } b", "a"));
    }

    @Test
    void aModelWithoutAnEntailmentLabelOrNoLabelsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nli(List.of("neg", "pos")));
        assertEquals(true, e.getMessage().endsWith("config.json label2id [neg, pos] has no label starting with \"entail\":"
                + " zero-shot classification needs an NLI model"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> nli(NLI).classify("x", List.of(), Options.DEFAULTS, Capture.NONE));
    }
}
