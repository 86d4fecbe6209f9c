package io.kulipa.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.providers.simulator.Scenarios;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PredictionTest {

    static final Catalog CATALOG = Catalog.loadDefault();
    static final Prediction PREDICTION = new Prediction(CATALOG);

    @Test
    void everyTestNumberOfTheSpecPredictsTheCorrespondentItIsListedUnder() {
        Collection<Scenarios.Scenario> all = Scenarios.loadDefault().all();
        assertThat(all).hasSizeGreaterThan(100);
        List<String> wrong = new ArrayList<>();
        for (Scenarios.Scenario s : all) {
            Optional<Prediction.Predicted> p = PREDICTION.predict(s.msisdn());
            Correspondent listed = CATALOG.correspondent(s.correspondent()).orElseThrow();
            Prediction.Predicted expected = new Prediction.Predicted(listed.country(), listed.mno(), listed.id(),
                    s.msisdn());
            if (!p.equals(Optional.of(expected))) {
                wrong.add(s.msisdn() + " listed under " + s.correspondent() + " predicted " + p);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theSpecsSampleIsSanitisedAndPredicted() {
        assertThat(PREDICTION.predict("+260 763-456789")).contains(
                new Prediction.Predicted("ZMB", "MTN", "MTN_MOMO_ZMB", "260763456789"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"260763456789", "+260763456789", " +260 763 456 789 ", "+260\t763\u00a0456789",
            "(260) 763.456.789", "+260-763-456-789", "tel:+260763456789"})
    void everyNonDigitIsDropped(String raw) {
        assertThat(Prediction.sanitise(raw)).isEqualTo("260763456789");
        assertThat(PREDICTION.predict(raw)).map(Prediction.Predicted::msisdn).contains("260763456789");
    }

    /** Numbers outside the catalog's own prefixes: libphonenumber's carrier data decides. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "260771234567, AIRTEL_OAPI_ZMB",   // Airtel
            "260961234567, MTN_MOMO_ZMB",      // MTN
            "260751234567, ZAMTEL_ZMB",        // ZAMTEL
            "254712345678, MPESA_KEN",         // Safaricom runs M-Pesa
            "233241234567, MTN_MOMO_GHA",      // MTN
            "233201234567, VODAFONE_GHA",      // Vodafone
            "233261234567, AIRTELTIGO_GHA",    // airteltiGO
            "255611234567, HALOTEL_TZA",       // Viettel is Halotel
            "255651234567, TIGO_TZA",          // tiGO
            "255741234567, VODACOM_TZA",       // Vodacom
            "255781234567, AIRTEL_TZA",        // Airtel
            "250721234567, AIRTEL_RWA",        // Tigo Rwanda became Airtel
            "250791234567, MTN_MOMO_RWA",      // MTN
            "2290151345029, MTN_MOMO_BEN",     // Benin's ten-digit numbers: MTN
            "2290195345679, MOOV_BEN",         // and Moov, whose MNO name in the spec is MTN
            "237671234567, MTN_MOMO_CMR",      // MTN Cameroon
            "237640123456, ORANGE_CMR",        // Orange
            "2250712345678, ORANGE_CIV",       // Orange
            "243821234567, VODACOM_MPESA_COD", // Vodacom
            "243851234567, ORANGE_COD",        // Orange
            "243991234567, AIRTEL_COD",        // Airtel
            "265311234567, TNM_MWI",           // TNM
            "265981234567, AIRTEL_MWI",        // Airtel
            "258851234567, VODACOM_MOZ",       // Vodacom
            "2347031234567, MTN_MOMO_NGA",     // MTN
            "2348021234567, AIRTEL_NGA",       // Airtel
            "2349031234567, AIRTEL_NGA",       // the catalog's prefix wins over the carrier data (MTN)
            "221781234567, ORANGE_SEN",        // Orange
            "221761234567, FREE_SEN",          // Free
            "23278123456, ORANGE_SLE",         // Orange
            "256701234567, AIRTEL_OAPI_UGA",   // Airtel
            "256771234567, MTN_MOMO_UGA"})     // MTN
    void numbersOutsideTheCatalogPrefixesFollowTheCarrierData(String msisdn, String correspondent) {
        Correspondent c = CATALOG.correspondent(correspondent).orElseThrow();
        assertThat(PREDICTION.predict(msisdn)).contains(
                new Prediction.Predicted(c.country(), c.mno(), c.id(), msisdn));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2250103456789",  // Moov Côte d'Ivoire: no such correspondent
            "233281234567",   // Expresso Ghana
            "233291234567",   // Ghana's "National Security" range is not AirtelTigo ("AT")
            "221701234567",   // Expresso Senegal
            "258821234567",   // mcel Mozambique
            "2348091234567",  // 9mobile Nigeria
            "237621234567",   // Camtel
            "260211234567"})  // a Zambian fixed line
    void numbersOfOperatorsWithoutACorrespondentHaveNoPrediction(String msisdn) {
        assertThat(PREDICTION.predict(msisdn)).isEmpty();
        assertThat(PREDICTION.resolve(msisdn).miss()).isEqualTo(Prediction.Miss.NO_CORRESPONDENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12025550143", "+44 7700 900123", "861391234567", "2612345678901"})
    void numbersOfUnsupportedCountriesHaveNoPrediction(String raw) {
        assertThat(PREDICTION.predict(raw)).isEmpty();
        assertThat(PREDICTION.resolve(raw).miss()).isEqualTo(Prediction.Miss.UNKNOWN_COUNTRY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"26076345678", "2607634567890", "260", "25470123456", "2295134502", "229513450299"})
    void numbersOfTheWrongLengthHaveNoPrediction(String raw) {
        assertThat(PREDICTION.predict(raw)).isEmpty();
        assertThat(PREDICTION.resolve(raw).miss()).isEqualTo(Prediction.Miss.WRONG_LENGTH);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "abc", "+", "0260763456789", "0026076345678", "1234567890123456",
            "+260 763 456 789 ............................................................."})
    void malformedInputHasNoPrediction(String raw) {
        assertThat(PREDICTION.predict(raw)).isEmpty();
        assertThat(PREDICTION.resolve(raw).miss()).isEqualTo(Prediction.Miss.MALFORMED);
    }

    @Test
    void carrierNamesMatchByAliasIdWordThenMnoName() {
        assertThat(match("GHA", "Telecel")).contains("VODAFONE_GHA");
        assertThat(match("GHA", "AT")).contains("AIRTELTIGO_GHA");
        assertThat(match("GHA", "AirtelTigo")).contains("AIRTELTIGO_GHA");
        assertThat(match("GHA", "National Security")).isEmpty();
        assertThat(match("GHA", "")).isEmpty();
        assertThat(match("KEN", "Safaricom")).contains("MPESA_KEN");
        assertThat(match("KEN", "Airtel")).isEmpty();
        assertThat(match("TZA", "Halotel")).contains("HALOTEL_TZA");
        assertThat(match("TZA", "Yas")).contains("TIGO_TZA");
        assertThat(match("ZMB", "ZAMTEL")).contains("ZAMTEL_ZMB");
        assertThat(match("SEN", "Free")).contains("FREE_SEN");
        assertThat(match("MWI", "TNM")).contains("TNM_MWI");
        assertThat(match("BEN", "MTN")).contains("MTN_MOMO_BEN");
        assertThat(match("BEN", "Moov Africa")).contains("MOOV_BEN");
        assertThat(match("CMR", "MTN Cameroon")).contains("MTN_MOMO_CMR");
        assertThat(match("COD", "Vodacom Congo")).contains("VODACOM_MPESA_COD");
        assertThat(match("RWA", "TIGO")).contains("AIRTEL_RWA");
    }

    static Optional<String> match(String country, String carrier) {
        List<Correspondent> candidates = CATALOG.correspondents().stream()
                .filter(c -> c.country().equals(country)).toList();
        return Prediction.matchCarrier(candidates, carrier).map(Correspondent::id);
    }
}
