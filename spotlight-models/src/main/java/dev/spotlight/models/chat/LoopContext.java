package dev.spotlight.models.chat;

import java.util.List;

/** jinja2's {@code loop} variable inside a for loop, over the items after the loop's if filter. */
final class LoopContext {
    private final List<Object> items;
    private int index0;

    LoopContext(List<Object> items) {
        this.items = items;
    }

    void advance(int index0) {
        this.index0 = index0;
    }

    Object attribute(String name) {
        int length = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (length - index0);
            case "revindex0" -> (long) (length - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == length - 1;
            case "length" -> (long) length;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : new Undefined("there is no previous item");
            case "nextitem" -> index0 < length - 1 ? items.get(index0 + 1) : new Undefined("there is no next item");
            case "cycle" -> new PyCallable() {
                private final int at = index0;

                @Override
                public Object call(Args args) {
                    if (args.size() == 0) {
                        throw TemplateError.type("no items for cycling given");
                    }
                    return args.positional().get(at % args.size());
                }

                @Override
                public String describe() {
                    return "loop.cycle";
                }
            };
            case "changed" -> throw TemplateError.unsupported("loop.changed");
            default -> Undefined.attribute(this, name);
        };
    }
}
