package io.ddp.spring.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of a {@link DdpUserStore}, which every store passes.
 */
public abstract class DdpUserStoreContractTests {

	/**
	 * A time every store keeps exactly (PostgreSQL keeps microseconds).
	 */
	protected static final Instant NOW = Instant.parse("2026-12-06T00:00:00.123Z");

	/**
	 * Return the store under test, empty.
	 * @return the store
	 */
	protected abstract DdpUserStore users();

	private static DdpUser user(String id, String username, String... emails) {
		return new DdpUser(id, username, List.of(emails), Map.of(), Set.of(), null, NOW);
	}

	@Test
	void keepsEveryPartOfAUser() {
		DdpUser ann = new DdpUser("1", "ann", List.of("ann@example.com", "Ann@Work.example"),
				Map.of("name", "Ann", "age", 41, "tags", List.of("a", "b")), Set.of("USER", "ADMIN"), "$2a$10$hash",
				NOW);
		users().create(ann);
		assertThat(users().findById("1")).isEqualTo(ann);
		DdpUser noName = new DdpUser("2", null, List.of(), Map.of(), Set.of(), null, NOW);
		users().create(noName);
		assertThat(users().findById("2")).isEqualTo(noName);
		assertThat(users().findById("3")).isNull();
	}

	@Test
	void usernamesAndEmailsMatchExactlyElseTheOnlyUserIgnoringCase() {
		users().create(user("1", "Ann", "ann@example.com"));
		users().create(user("2", "bob"));
		assertThat(users().findByUsername("Ann").id()).isEqualTo("1");
		assertThat(users().findByUsername("ANN").id()).isEqualTo("1");
		assertThat(users().findByEmail("ANN@example.com").id()).isEqualTo("1");
		assertThat(users().findByEmail("bob@example.com")).isNull();
		assertThat(users().findByUsername("carol")).isNull();
		assertThat(users().findById("2").username()).isEqualTo("bob");
	}

	@Test
	void anUpdateReplacesTheUser() {
		users().create(user("1", "ann", "ann@example.com"));
		DdpUser renamed = new DdpUser("1", "anne", List.of("anne@example.com"), Map.of("name", "Anne"), Set.of("USER"),
				"$2a$10$other", NOW);
		users().update(renamed);
		assertThat(users().findById("1")).isEqualTo(renamed);
		assertThat(users().findByUsername("ann")).isNull();
		assertThat(users().findByEmail("ann@example.com")).isNull();
		assertThat(users().findByEmail("anne@example.com")).isEqualTo(renamed);
	}

	@Test
	void anUpdateIsReportedToTheListenersOnceItCanBeRead() {
		users().create(user("1", "ann", "ann@example.com"));
		List<String> seen = new CopyOnWriteArrayList<>();
		Runnable stop = users().onChanged((id) -> {
			DdpUser now = (id != null) ? users().findById(id) : null;
			seen.add(id + ":" + ((now != null) ? now.profile() : "-"));
		});
		users().update(new DdpUser("1", "ann", List.of("ann@example.com"), Map.of("name", "Ann"), Set.of(), null, NOW));
		// a store may also hear of its own update from elsewhere, later
		await().until(() -> seen.contains("1:{name=Ann}"));
		stop.run();
		int before = seen.size();
		users().update(new DdpUser("1", "ann", List.of("ann@example.com"), Map.of(), Set.of(), null, NOW));
		assertThat(seen).hasSize(before).allMatch((entry) -> entry.equals("1:{name=Ann}"));
	}

	@Test
	void anUpdateOfAMissingUserIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> users().update(user("9", "nobody")));
		assertThat(users().findById("9")).isNull();
	}

	@Test
	void anUpdateMayNotTakeAnotherUsersUsername() {
		users().create(user("1", "ann"));
		users().create(user("2", "other", "other@example.com"));
		assertThatExceptionOfType(DuplicateUserException.class).isThrownBy(() -> users().update(user("2", "ANN")))
			.withMessage("Username already exists.");
		assertThat(users().findByUsername("Ann").id()).isEqualTo("1");
		assertThat(users().findById("2")).isEqualTo(user("2", "other", "other@example.com"));
	}

	@Test
	void takenIdsUsernamesAndEmailsAreRefusedIgnoringCase() {
		users().create(user("1", "ann", "ann@example.com"));
		assertThatExceptionOfType(DuplicateUserException.class).isThrownBy(() -> users().create(user("1", "x")))
			.withMessage("User id already exists.");
		assertThatExceptionOfType(DuplicateUserException.class).isThrownBy(() -> users().create(user("2", "ANN")))
			.withMessage("Username already exists.");
		assertThatExceptionOfType(DuplicateUserException.class)
			.isThrownBy(() -> users().create(user("2", "zed", "Ann@Example.com")))
			.withMessage("Email already exists.");
		// nothing of a refused user is kept
		assertThat(users().findById("2")).isNull();
		assertThat(users().findByUsername("zed")).isNull();
	}

}
