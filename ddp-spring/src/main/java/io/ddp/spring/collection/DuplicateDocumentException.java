package io.ddp.spring.collection;

/**
 * Thrown when inserting a document whose id a {@link DdpCollection} already holds.
 *
 * @since 0.1.0
 */
public class DuplicateDocumentException extends IllegalStateException {

	private final String id;

	/**
	 * Create an exception for the given id.
	 * @param collection the collection name
	 * @param id the duplicate id
	 */
	public DuplicateDocumentException(String collection, String id) {
		super("Duplicate _id '" + id + "' in collection '" + collection + "'");
		this.id = id;
	}

	/**
	 * Return the duplicate id.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

}
