package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/**
 * The PySpark wrapper (python/spotlight_spark) forwards params to the JVM stages by name and builds them
 * by class name: a param or class renamed on one side only would fail at a user's first call. No
 * pyspark is installable on the build machine, so this checks the contract from the JVM side.
 */
class PythonWrapperTest {
    private static final Pattern CLASS = Pattern.compile("^class (\\w+)\\((\\w+)[,)]", Pattern.MULTILINE);
    private static final Pattern PARAM = Pattern.compile("^    (\\w+) = Param\\(Params\\._dummy\\(\\), \"(\\w+)\"", Pattern.MULTILINE);

    @Test
    void pythonWrapperDeclaresExactlyTheJvmStagesAndParams() throws Exception {
        String source = Files.readString(Path.of("python/spotlight_spark/__init__.py"));
        Map<String, Set<String>> declared = new TreeMap<>();
        Map<String, String> parents = new TreeMap<>();
        List<Integer> starts = new ArrayList<>();
        Matcher c = CLASS.matcher(source);
        while (c.find()) {
            starts.add(c.start());
            parents.put(c.group(1), c.group(2));
        }
        starts.add(source.length());
        List<String> names = new ArrayList<>(parents.keySet().stream().sorted((a, b) -> source.indexOf("class " + a + "(")
                - source.indexOf("class " + b + "(")).toList());
        for (int i = 0; i < names.size(); i++) {
            Matcher p = PARAM.matcher(source.substring(starts.get(i), starts.get(i + 1)));
            Set<String> params = new TreeSet<>();
            while (p.find()) {
                assertEquals(p.group(1), p.group(2), "the Python attribute is named as its param");
                params.add(p.group(2));
            }
            declared.put(names.get(i), params);
        }
        List<SpotlightStage<?>> jvm = List.of(new SpotlightTokenizer(), new SpotlightEmbedder(), new SpotlightAttentionSummary(),
                new SpotlightTokenClassifier(), new SpotlightTextClassifier(), new SpotlightQuestionAnswerer(),
                new SpotlightZeroShotClassifier(), new SpotlightFillMask(), new SpotlightReranker(), new SpotlightGenerator());
        Set<String> wrapped = new TreeSet<>(declared.keySet());
        wrapped.removeIf(name -> name.startsWith("_"));
        assertEquals(new TreeSet<>(jvm.stream().map(s -> s.getClass().getSimpleName()).toList()), wrapped,
                "every JVM stage has a Python class of its name, and no other");
        for (SpotlightStage<?> stage : jvm) {
            String name = stage.getClass().getSimpleName();
            Set<String> python = new TreeSet<>();
            boolean common = false;
            for (String cls = name; declared.containsKey(cls); cls = parents.get(cls)) {   // the class, then its Python bases
                python.addAll(declared.get(cls));
                common |= cls.equals("_SpotlightStage");
            }
            assertTrue(common, name + " extends _SpotlightStage in the wrapper");
            Set<String> java = new TreeSet<>();
            for (Param<?> param : stage.params()) {
                java.add(param.name());
            }
            assertEquals(java, python, name + ": params of the JVM stage and of its Python wrapper");
            assertEquals("dev.spotlight.spark." + name, stage.getClass().getName());
        }
        assertEquals("_EncoderStage", parents.get("SpotlightEmbedder"), "maxLength and truncate in the encoder stages' base");
        String shim = Files.readString(Path.of("python/dev/spotlight/spark/__init__.py"));
        for (String name : wrapped) {
            assertTrue(shim.contains(name), "PipelineModel.load in PySpark imports dev.spotlight.spark." + name);
        }
    }
}
