package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * Who may write to a collection through its mutator methods, Meteor's
 * {@code allow}/{@code deny} rules: any deny rule that returns {@code true} refuses the
 * call, otherwise it needs one allow rule that returns {@code true}; both answer
 * {@code 403 Access denied}. With no rule at all every call is refused, and a collection
 * with some rules but none allowing a method refuses that method with Meteor's message
 * naming it. Rules see the typed document as stored (for inserts, as sent: without an id
 * when the server generates it).
 * <p>
 * Instances are immutable; each method returns a new one: <pre class="code">
 * AllowDenyRules&lt;Task&gt; rules = AllowDenyRules.&lt;Task&gt;none()
 *     .allowInsert((userId, task) -&gt; userId != null)
 *     .allowUpdate((userId, task, fields, modifier) -&gt; userId != null &amp;&amp; userId.equals(task.owner()))
 *     .denyUpdate((userId, task, fields, modifier) -&gt; fields.contains("owner"));
 * </pre>
 *
 * @param <T> the document type
 * @since 0.1.0
 */
public final class AllowDenyRules<T> {

	private static final AllowDenyRules<Object> NONE = new AllowDenyRules<>(List.of(), List.of(), List.of(), List.of(),
			List.of(), List.of());

	private final List<DocumentRule<? super T>> allowInsert;

	private final List<DocumentRule<? super T>> denyInsert;

	private final List<UpdateRule<? super T>> allowUpdate;

	private final List<UpdateRule<? super T>> denyUpdate;

	private final List<DocumentRule<? super T>> allowRemove;

	private final List<DocumentRule<? super T>> denyRemove;

	private AllowDenyRules(List<DocumentRule<? super T>> allowInsert, List<DocumentRule<? super T>> denyInsert,
			List<UpdateRule<? super T>> allowUpdate, List<UpdateRule<? super T>> denyUpdate,
			List<DocumentRule<? super T>> allowRemove, List<DocumentRule<? super T>> denyRemove) {
		this.allowInsert = allowInsert;
		this.denyInsert = denyInsert;
		this.allowUpdate = allowUpdate;
		this.denyUpdate = denyUpdate;
		this.allowRemove = allowRemove;
		this.denyRemove = denyRemove;
	}

	/**
	 * Return rules that allow nothing: the starting point, and the secure default.
	 * @param <T> the document type
	 * @return the rules
	 */
	@SuppressWarnings("unchecked")
	public static <T> AllowDenyRules<T> none() {
		return (AllowDenyRules<T>) NONE;
	}

	/**
	 * Add a rule that allows inserts it returns {@code true} for.
	 * @param rule the rule
	 * @return the new rules
	 */
	public AllowDenyRules<T> allowInsert(DocumentRule<? super T> rule) {
		return new AllowDenyRules<>(with(this.allowInsert, rule), this.denyInsert, this.allowUpdate, this.denyUpdate,
				this.allowRemove, this.denyRemove);
	}

	/**
	 * Add a rule that refuses inserts it returns {@code true} for.
	 * @param rule the rule
	 * @return the new rules
	 */
	public AllowDenyRules<T> denyInsert(DocumentRule<? super T> rule) {
		return new AllowDenyRules<>(this.allowInsert, with(this.denyInsert, rule), this.allowUpdate, this.denyUpdate,
				this.allowRemove, this.denyRemove);
	}

	/**
	 * Add a rule that allows updates it returns {@code true} for.
	 * @param rule the rule
	 * @return the new rules
	 */
	public AllowDenyRules<T> allowUpdate(UpdateRule<? super T> rule) {
		return new AllowDenyRules<>(this.allowInsert, this.denyInsert, with(this.allowUpdate, rule), this.denyUpdate,
				this.allowRemove, this.denyRemove);
	}

	/**
	 * Add a rule that refuses updates it returns {@code true} for.
	 * @param rule the rule
	 * @return the new rules
	 */
	public AllowDenyRules<T> denyUpdate(UpdateRule<? super T> rule) {
		return new AllowDenyRules<>(this.allowInsert, this.denyInsert, this.allowUpdate, with(this.denyUpdate, rule),
				this.allowRemove, this.denyRemove);
	}

	/**
	 * Add a rule that allows removals it returns {@code true} for.
	 * @param rule the rule
	 * @return the new rules
	 */
	public AllowDenyRules<T> allowRemove(DocumentRule<? super T> rule) {
		return new AllowDenyRules<>(this.allowInsert, this.denyInsert, this.allowUpdate, this.denyUpdate,
				with(this.allowRemove, rule), this.denyRemove);
	}

	/**
	 * Add a rule that refuses removals it returns {@code true} for.
	 * @param rule the rule
	 * @return the new rules
	 */
	public AllowDenyRules<T> denyRemove(DocumentRule<? super T> rule) {
		return new AllowDenyRules<>(this.allowInsert, this.denyInsert, this.allowUpdate, this.denyUpdate,
				this.allowRemove, with(this.denyRemove, rule));
	}

	private static <R> List<R> with(List<R> rules, R rule) {
		Objects.requireNonNull(rule, "'rule' must not be null");
		List<R> copy = new ArrayList<>(rules);
		copy.add(rule);
		return List.copyOf(copy);
	}

	// ---- evaluation, for the mutator methods (allow-deny.js)

	/**
	 * Refuse a method that no rule could allow: 403 "Access denied" without rules,
	 * Meteor's longer message when some rules exist but none allows the method.
	 */
	void checkRestricted(String method) {
		boolean restricted = !(this.allowInsert.isEmpty() && this.denyInsert.isEmpty() && this.allowUpdate.isEmpty()
				&& this.denyUpdate.isEmpty() && this.allowRemove.isEmpty() && this.denyRemove.isEmpty());
		if (!restricted) {
			throw accessDenied();
		}
		boolean allows = switch (method) {
			case "insert" -> !this.allowInsert.isEmpty();
			case "update" -> !this.allowUpdate.isEmpty();
			default -> !this.allowRemove.isEmpty();
		};
		if (!allows) {
			throw new DdpException(403,
					"Access denied. No allow validators set on restricted collection for method '" + method + "'.");
		}
	}

	void checkInsert(@Nullable String userId, T document) {
		if (this.denyInsert.stream().anyMatch((rule) -> rule.test(userId, document))
				|| this.allowInsert.stream().noneMatch((rule) -> rule.test(userId, document))) {
			throw accessDenied();
		}
	}

	void checkUpdate(@Nullable String userId, T document, List<String> fieldNames,
			Map<String, @Nullable Object> modifier) {
		if (this.denyUpdate.stream().anyMatch((rule) -> rule.test(userId, document, fieldNames, modifier))
				|| this.allowUpdate.stream().noneMatch((rule) -> rule.test(userId, document, fieldNames, modifier))) {
			throw accessDenied();
		}
	}

	void checkRemove(@Nullable String userId, T document) {
		if (this.denyRemove.stream().anyMatch((rule) -> rule.test(userId, document))
				|| this.allowRemove.stream().noneMatch((rule) -> rule.test(userId, document))) {
			throw accessDenied();
		}
	}

	private static DdpException accessDenied() {
		return new DdpException(403, "Access denied");
	}

	/**
	 * A rule on an inserted or removed document.
	 *
	 * @param <T> the document type
	 */
	@FunctionalInterface
	public interface DocumentRule<T> {

		/**
		 * Return whether the rule applies (allows, or denies) the write.
		 * @param userId the calling connection's user, {@code null} when logged out
		 * @param document the document
		 * @return whether the rule applies
		 */
		boolean test(@Nullable String userId, T document);

	}

	/**
	 * A rule on an update.
	 *
	 * @param <T> the document type
	 */
	@FunctionalInterface
	public interface UpdateRule<T> {

		/**
		 * Return whether the rule applies (allows, or denies) the update.
		 * @param userId the calling connection's user, {@code null} when logged out
		 * @param document the document before the update
		 * @param fieldNames the top-level fields the modifier changes
		 * @param modifier the modifier, as the client sent it
		 * @return whether the rule applies
		 */
		boolean test(@Nullable String userId, T document, List<String> fieldNames,
				Map<String, @Nullable Object> modifier);

	}

}
