package io.ddp.spring.protocol;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** TEMPORARY STUB: replaced by the real EJSON implementation. */
public final class Ejson {
	private final JsonMapper mapper;
	public Ejson(JsonMapper mapper) { this.mapper = mapper; }
	public Ejson(JsonMapper mapper, EjsonTypeRegistry types) { this.mapper = mapper; }
	public static Ejson createDefault() { return new Ejson(JsonMapper.builder().build()); }
	public JsonMapper mapper() { return this.mapper; }
	public @Nullable Object fromJson(JsonNode node) { return this.mapper.treeToValue(node, Object.class); }
	public JsonNode toJson(@Nullable Object value) { return this.mapper.valueToTree(value); }
	public <T> T convert(JsonNode node, JavaType type) { return this.mapper.treeToValue(node, type); }
	public <T> T convert(JsonNode node, Class<T> type) { return this.mapper.treeToValue(node, type); }
	public void validate(JsonNode node) { }
	public String stringify(@Nullable Object value) { return this.mapper.writeValueAsString(value); }
	public static boolean equals(@Nullable Object a, @Nullable Object b) { return java.util.Objects.equals(a, b); }
	public static @Nullable Object clone(@Nullable Object v) { return v; }
}
