package io.ddp.spring.collection;

/**
 * A Mongo-style modifier that cannot be applied, worded as Minimongo words it.
 */
final class ModifierException extends IllegalArgumentException {

	ModifierException(String message) {
		super(message);
	}

}
