package io.ddp.spring.protocol;
/** TEMPORARY STUB. */
public final class EjsonTypeRegistry { public static EjsonTypeRegistry withDefaults() { return new EjsonTypeRegistry(); } }
