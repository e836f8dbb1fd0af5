package dev.spotlight.models.chat;

/** Something a template can call: a global function, a macro, a bound method, loop.cycle. */
interface PyCallable {
    Object call(Args args);

    /** How Python prints it; printing one is refused since Python's text holds a memory address. */
    String describe();
}
