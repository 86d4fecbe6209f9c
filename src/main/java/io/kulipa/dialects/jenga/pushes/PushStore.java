package io.kulipa.dialects.jenga.pushes;

import java.util.List;
import java.util.UUID;

/** What a push needs of the credentials: the account numbers the merchant may be credited on. */
public interface PushStore {

    List<String> accounts(UUID merchantId);
}
