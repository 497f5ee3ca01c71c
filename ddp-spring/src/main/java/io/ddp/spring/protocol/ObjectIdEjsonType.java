package io.ddp.spring.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The {@code oid} EJSON type of Meteor's {@code mongo-id} package.
 */
final class ObjectIdEjsonType implements EjsonType<ObjectId> {

	static final ObjectIdEjsonType INSTANCE = new ObjectIdEjsonType();

	static final String NAME = "oid";

	private ObjectIdEjsonType() {
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Class<ObjectId> javaType() {
		return ObjectId.class;
	}

	@Override
	public Object toJsonValue(ObjectId value) {
		return value.hexString();
	}

	@Override
	public ObjectId fromJsonValue(@Nullable Object jsonValue) {
		if (!(jsonValue instanceof String hex)) {
			throw new IllegalArgumentException("Invalid hexadecimal string for creating an ObjectID");
		}
		return new ObjectId(hex);
	}

}
