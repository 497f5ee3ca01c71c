package io.ddp.spring.accounts;

/**
 * The {@link DdpUserStoreContractTests user store contract} for
 * {@link InMemoryDdpUserStore}.
 */
class InMemoryDdpUserStoreTests extends DdpUserStoreContractTests {

	private final InMemoryDdpUserStore users = new InMemoryDdpUserStore();

	@Override
	protected DdpUserStore users() {
		return this.users;
	}

}
