package dev.spotlight.models.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What dict.items(), keys() and values() return: a re-iterable view printed as {@code dict_items([…])}. */
record DictView(String kind, Map<Object, Object> map) {
    List<Object> items() {
        List<Object> out = new ArrayList<>(map.size());
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            out.add(switch (kind) {
                case "keys" -> e.getKey();
                case "values" -> e.getValue();
                default -> PyTuple.of(e.getKey(), e.getValue());
            });
        }
        return out;
    }

    @Override
    public String toString() {
        return "dict_" + kind + "(" + PyValues.repr(items()) + ")";
    }
}
