package dev.spotlight.models.tasks;

import dev.spotlight.models.tasks.TokenClassification.Aggregation;
import dev.spotlight.models.tasks.TokenClassification.Entity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The aggregation half of transformers' TokenClassificationPipeline (aggregate, aggregate_words,
 * aggregate_word, group_entities, group_sub_entities), on tokens already gathered. Ties go to the
 * lowest label index, as numpy's argmax does.
 */
final class EntityGrouping {
    /** A non-special token: its index in the encoding, vocabulary string, label probabilities, code point span. */
    record Token(int index, String word, double[] scores, int start, int end, boolean subword) {
    }

    private final List<String> labels;
    private final Function<List<String>, String> tokensToString;

    /** @param tokensToString the tokenizer's decoder on token strings (convert_tokens_to_string) */
    EntityGrouping(List<String> labels, Function<List<String>, String> tokensToString) {
        this.labels = labels;
        this.tokensToString = tokensToString;
    }

    List<Entity> aggregate(List<Token> tokens, Aggregation strategy) {
        List<Entity> entities = new ArrayList<>(tokens.size());
        if (strategy == Aggregation.NONE || strategy == Aggregation.SIMPLE) {
            for (Token t : tokens) {
                int best = argmax(t.scores());
                entities.add(new Entity(labels.get(best), t.scores()[best], t.word(), t.start(), t.end(), t.index(),
                        List.of(t.index()), 0));
            }
        } else {
            entities = words(tokens, strategy);
        }
        return strategy == Aggregation.NONE ? entities : group(entities);
    }

    /** aggregate_words: consecutive tokens of one word (a token and the sub-words after it) become one entity. */
    private List<Entity> words(List<Token> tokens, Aggregation strategy) {
        List<Entity> out = new ArrayList<>();
        List<Token> word = new ArrayList<>();
        for (Token t : tokens) {
            if (!word.isEmpty() && !t.subword()) {
                out.add(word(word, strategy));
                word.clear();
            }
            word.add(t);
        }
        if (!word.isEmpty()) {
            out.add(word(word, strategy));
        }
        return out;
    }

    /** aggregate_word: FIRST takes the first token's label, MAX the token with the highest score, AVERAGE averages the scores. */
    private Entity word(List<Token> word, Aggregation strategy) {
        double[] scores = switch (strategy) {
            case FIRST -> word.getFirst().scores();
            case MAX -> {
                Token best = word.getFirst();
                for (Token t : word) {
                    if (max(t.scores()) > max(best.scores())) {
                        best = t;
                    }
                }
                yield best.scores();
            }
            case AVERAGE -> {
                double[] mean = new double[labels.size()];
                for (Token t : word) {
                    for (int c = 0; c < mean.length; c++) {
                        mean[c] += t.scores()[c] / word.size();
                    }
                }
                yield mean;
            }
            default -> throw new IllegalArgumentException("NONE and SIMPLE are not word aggregations");
        };
        int best = argmax(scores);
        List<String> strings = new ArrayList<>(word.size());
        List<Integer> indices = new ArrayList<>(word.size());
        for (Token t : word) {
            strings.add(t.word());
            indices.add(t.index());
        }
        return new Entity(labels.get(best), scores[best], tokensToString.apply(strings), word.getFirst().start(),
                word.getLast().end(), -1, List.copyOf(indices), 0);
    }

    /** group_entities: a run of one tag continues while the next entity is not a B-; a non-B/I label counts as I-. */
    private List<Entity> group(List<Entity> entities) {
        List<Entity> groups = new ArrayList<>();
        List<Entity> current = new ArrayList<>();
        for (Entity e : entities) {
            if (!current.isEmpty()) {
                String[] tag = tag(e.label());
                String[] last = tag(current.getLast().label());
                if (!(tag[1].equals(last[1]) && !tag[0].equals("B"))) {
                    groups.add(subGroup(current));
                    current.clear();
                }
            }
            current.add(e);
        }
        if (!current.isEmpty()) {
            groups.add(subGroup(current));
        }
        return groups;
    }

    /** group_sub_entities: the first entity's label without its prefix (split at the first '-'), mean score, joined words. */
    private Entity subGroup(List<Entity> entities) {
        String label = entities.getFirst().label();
        int dash = label.indexOf('-');
        String group = dash < 0 ? label : label.substring(dash + 1);
        double sum = 0;
        List<String> words = new ArrayList<>(entities.size());
        List<Integer> tokens = new ArrayList<>();
        for (Entity e : entities) {
            sum += e.score();
            words.add(e.word());
            tokens.addAll(e.tokens());
        }
        return new Entity(group, sum / entities.size(), tokensToString.apply(words), entities.getFirst().start(),
                entities.getLast().end(), -1, List.copyOf(tokens), 0);
    }

    /** get_tag: ("B", tag) or ("I", tag) for B-/I- labels, ("I", label) for anything else. */
    private static String[] tag(String label) {
        if (label.startsWith("B-") || label.startsWith("I-")) {
            return new String[] {label.substring(0, 1), label.substring(2)};
        }
        return new String[] {"I", label};
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double max(double[] v) {
        return v[argmax(v)];
    }
}
