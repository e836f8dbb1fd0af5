package dev.spotlight.models.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of a conversation, as the dict a chat template sees: {@code role}, {@code content} (a
 * string, null, or a list of parts such as {@code {"type": "text", "text": …}}) and any other keys the
 * template may read ({@code tool_calls}, {@code tool_call_id}, {@code name}, {@code reasoning_content}).
 * A key absent here is undefined in the template, which is not the same as null (None).
 *
 * @param fields the keys in order, role first
 */
public record ChatMessage(Map<String, Object> fields) {
    public ChatMessage {
        if (!(fields.get("role") instanceof String)) {
            throw new IllegalArgumentException("a chat message needs a string role, found " + fields.get("role"));
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ChatMessage of(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return new ChatMessage(m);
    }

    public String role() {
        return (String) fields.get("role");
    }

    /** The content, or null when it is null or absent. */
    public Object content() {
        return fields.get("content");
    }
}
