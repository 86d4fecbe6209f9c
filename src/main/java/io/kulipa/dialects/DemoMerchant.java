package io.kulipa.dialects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.payments.Merchant;
import java.nio.file.Path;

/**
 * The sandbox's demo merchant as a dialect sees it during bootstrap: the merchant, what the
 * last start wrote to {@code demo-merchant.json} (so that secrets survive a restart), the
 * file's content to add to, and the banner lines printed for the person who started Kulipa.
 *
 * @param previous the file as the last start left it, or an empty object
 * @param file     the file about to be written; a dialect adds its own fields
 */
public record DemoMerchant(Merchant merchant, JsonNode previous, ObjectNode file, StringBuilder banner,
                           Path dataDir) {

    /** Adds a line to the banner, label first, as the core's lines are. */
    public void bannerLine(String label, String value) {
        banner.append("  ").append(String.format("%-15s", label + ":")).append(value).append('\n');
    }
}
