package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.JsonView;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link PostProcessor} from its tokenizer.json block, by its {@code type}. */
public final class PostProcessors {
    private PostProcessors() {
    }

    public static PostProcessor fromJson(JsonView v) {
        String type = v.string("type");
        return switch (type) {
            case "BertProcessing" -> new BertProcessing(SpecialToken.fromJson(v.get("sep")), SpecialToken.fromJson(v.get("cls")));
            case "RobertaProcessing" -> new RobertaProcessing(SpecialToken.fromJson(v.get("sep")), SpecialToken.fromJson(v.get("cls")),
                    v.bool("trim_offsets", true), v.bool("add_prefix_space", true));
            case "ByteLevel" -> new ByteLevel(v.bool("trim_offsets", true), v.bool("add_prefix_space", true));
            case "TemplateProcessing" -> TemplateProcessing.fromJson(v);
            case "Sequence" -> {
                List<PostProcessor> list = new ArrayList<>();
                for (JsonView p : v.get("processors").elements()) {
                    list.add(fromJson(p));
                }
                yield new Sequence(list);
            }
            default -> throw v.get("type").error("unknown post_processor type \"" + type
                    + "\", expected BertProcessing, RobertaProcessing, ByteLevel, TemplateProcessing or Sequence");
        };
    }
}
