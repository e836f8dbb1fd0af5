package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.explain.HeadStatistics;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SpotlightAttentionSummaryTest {

    @Test
    void rolloutShareAndHeadStatisticsAreThoseOfTheLibrarysAttention() {
        List<String> texts = Arrays.asList("The cat sat on the mat because it was tired.", null, "",
                "Attention shows where a model looks.", LocalSpark.texts(3).get(2));
        Map<Integer, Row> rows = SpotlightEmbedderTest.byId(new SpotlightAttentionSummary().setBatchSize(2)
                .transform(LocalSpark.unevenPartitions(texts)));
        assertTrue(rows.get(1).isNullAt(rows.get(1).fieldIndex("attention")), "null text → null summary");
        EncoderModel model = LocalSpark.model();
        for (int i : new int[] {0, 2, 3, 4}) {
            // the library run alone on this text: attention of a batch of one
            EncoderModel.Encoded run = model.encode(List.of(texts.get(i)), Capture.ATTENTIONS);
            float[][][][] attention = SpotlightAttentionSummary.attention(run.output(), 0);
            int n = attention[0][0].length;
            Row summary = rows.get(i).getStruct(rows.get(i).fieldIndex("attention"));
            assertEquals(run.tokens().getFirst(), summary.getList(0), "tokens of text " + i);

            double[] expected = meanOfRollout(attention);
            List<Double> share = summary.getList(1);
            assertEquals(n, share.size());
            double sum = 0;
            for (int j = 0; j < n; j++) {
                assertEquals(expected[j], share.get(j), 1e-12, "text " + i + " token " + j);
                sum += share.get(j);
            }
            assertEquals(1.0, sum, 1e-9, "shares of text " + i + " sum to 1");

            boolean[] special = new boolean[n];
            special[0] = true;
            special[n - 1] = true;
            HeadStatistics stats = HeadStatistics.of(attention, special);
            double[][][] fields = {stats.entropy(), stats.cls(), stats.sep(), stats.self(), stats.previous()};
            for (int f = 0; f < fields.length; f++) {
                List<Object> got = summary.getList(2 + f);
                assertEquals(6, got.size());
                for (int l = 0; l < 6; l++) {
                    List<Double> heads = SpotlightEmbedderTest.list(got.get(l));
                    assertEquals(12, heads.size());
                    for (int h = 0; h < 12; h++) {
                        assertEquals(fields[f][l][h], heads.get(h), 0.0, "text " + i + " field " + f + " layer " + l + " head " + h);
                    }
                }
            }
        }
    }

    /**
     * Rollout written out independently of explain's: per layer the head-mean attention plus the
     * identity, rows renormalised, multiplied from the first layer up; then the mean over query rows.
     */
    private static double[] meanOfRollout(float[][][][] attention) {
        int n = attention[0][0].length;
        double[][] rollout = null;
        for (float[][][] layer : attention) {
            double[][] a = new double[n][n];
            for (float[][] head : layer) {
                for (int q = 0; q < n; q++) {
                    for (int k = 0; k < n; k++) {
                        a[q][k] += head[q][k] / (double) layer.length;
                    }
                }
            }
            for (int q = 0; q < n; q++) {
                a[q][q] += 1;
                double row = Arrays.stream(a[q]).sum();
                for (int k = 0; k < n; k++) {
                    a[q][k] /= row;
                }
            }
            if (rollout == null) {
                rollout = a;
                continue;
            }
            double[][] next = new double[n][n];
            for (int q = 0; q < n; q++) {
                for (int k = 0; k < n; k++) {
                    double v = 0;
                    for (int m = 0; m < n; m++) {
                        v += a[q][m] * rollout[m][k];
                    }
                    next[q][k] = v;
                }
            }
            rollout = next;
        }
        double[] share = new double[n];
        for (double[] row : rollout) {
            for (int k = 0; k < n; k++) {
                share[k] += row[k] / n;
            }
        }
        return share;
    }
}
