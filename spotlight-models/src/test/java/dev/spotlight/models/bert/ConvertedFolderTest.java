package dev.spotlight.models.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.hub.BuiltinModel;
import dev.spotlight.models.hub.HfFolder;
import dev.spotlight.models.hub.ModelResolver;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same weights through both load paths: the ONNX export (checked against ONNX Runtime in
 * {@link EncoderParityTest}) and the Hugging Face folder written from it must give bitwise the
 * same hidden states, attention and embeddings.
 */
class ConvertedFolderTest {
    @TempDir
    Path dir;

    @Test
    void safetensorsFolderGivesExactlyTheOnnxExportsOutputs() {
        HfFolder.write(ModelResolver.builtin(BuiltinModel.BGE_SMALL_EN_V1_5), dir, false);
        List<String> texts = List.of("The cat sat on the mat.", "Attention maps show where a model looks.");
        try (EncoderModel fromOnnx = EncoderModel.from(ModelResolver.builtin(BuiltinModel.BGE_SMALL_EN_V1_5));
             EncoderModel fromFolder = EncoderModel.from(ModelResolver.folder(dir))) {
            EncoderOutput a = fromOnnx.encode(texts, Capture.ATTENTIONS).output();
            EncoderOutput b = fromFolder.encode(texts, Capture.ATTENTIONS).output();
            assertArrayEquals(a.lastHidden(), b.lastHidden());
            assertArrayEquals(a.attention(11, 1), b.attention(11, 1));
            assertArrayEquals(a.pooler(), b.pooler());
            assertEquals(fromOnnx.pooling(), fromFolder.pooling());
            assertArrayEquals(fromOnnx.embed(texts), fromFolder.embed(texts));
        }
    }
}
