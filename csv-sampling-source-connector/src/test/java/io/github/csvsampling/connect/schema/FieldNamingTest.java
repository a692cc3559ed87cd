package io.github.csvsampling.connect.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldNamingTest {

    /** The columns of the reference stock file, indexProcessed.csv. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Index, index",
            "Date, date",
            "Open, open",
            "High, high",
            "Low, low",
            "Close, close",
            "Adj Close, adj_close",
            "Volume, volume",
            "CloseUSD, close_usd",
    })
    void snakeCaseOfTheStockFileColumns(String header, String field) {
        assertThat(FieldNaming.SNAKE_CASE.fieldName(header)).isEqualTo(field);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "closePrice, close_price",
            "ClosePrice, close_price",
            "HTTPServer, http_server",
            "getHTTPResponseCode, get_http_response_code",
            "userID, user_id",
            "ID, id",
            "USD, usd",
            "Price2Book, price2_book",
            "price2book, price2book",
            "Q4Revenue, q4_revenue",
            "ABC123Def, abc123_def",
            "already_snake_case, already_snake_case",
            "lower, lower",
    })
    void wordsAreSplitAtCaseChanges(String header, String field) {
        assertThat(FieldNaming.SNAKE_CASE.fieldName(header)).isEqualTo(field);
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "Adj  Close|adj_close",
            "Adj__Close|adj_close",
            "Adj - Close|adj_close",
            "Adj.Close|adj_close",
            "Price (USD)|price_usd",
            "Price/Earnings %|price_earnings",
            "' Leading space'|leading_space",
            "'__private'|private",
            "'Trailing '|trailing",
            "Trailing__|trailing",
            "Close USD ($)|close_usd",
            "e-mail|e_mail",
    })
    void runsOfSeparatorsBecomeOneUnderscoreAndEndsAreTrimmed(String header, String field) {
        assertThat(FieldNaming.SNAKE_CASE.fieldName(header)).isEqualTo(field);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2nd value, _2nd_value",
            "1, _1",
            "52WeekHigh, _52_week_high",
            "#1 rank, _1_rank",
    })
    void namesStartingWithADigitGetALeadingUnderscore(String header, String field) {
        assertThat(FieldNaming.SNAKE_CASE.fieldName(header)).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "#", "%%", "---", "()", "_", "é", "日本"})
    void namesWithoutAsciiLettersOrDigitsBecomeEmpty(String header) {
        assertThat(FieldNaming.SNAKE_CASE.fieldName(header)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Größe, gr_e",
            "Prix €, prix",
            "Année, ann_e",
            "Café au lait, caf_au_lait",
            "ÉtatCivil, tat_civil",
            "Prix_ÀPayer, prix_payer",
    })
    void nonAsciiLettersSeparateWords(String header, String field) {
        assertThat(FieldNaming.SNAKE_CASE.fieldName(header)).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Adj Close", "CloseUSD", "2nd value", "Größe", "_x", " padded ", "a,b", ""})
    void snakeCaseNamesAreValidAvroNamesOrEmpty(String header) {
        String field = FieldNaming.SNAKE_CASE.fieldName(header);
        assertThat(field).matches("|[a-z_][a-z0-9_]*");
        assertThat(field).doesNotStartWith("__").doesNotEndWith("_").doesNotContain("__");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Adj Close", "CloseUSD", "2nd value", "Größe", " padded ", "#", ""})
    void originalKeepsTheHeaderAsWritten(String header) {
        assertThat(FieldNaming.ORIGINAL.fieldName(header)).isSameAs(header);
    }

    @Test
    void snakeCaseIsIdempotent() {
        for (String header : new String[] {"Adj Close", "CloseUSD", "HTTPServer", "2nd value", "Price2Book"}) {
            String once = FieldNaming.SNAKE_CASE.fieldName(header);
            assertThat(FieldNaming.SNAKE_CASE.fieldName(once)).as(header).isEqualTo(once);
        }
    }

    @Test
    void configNamesAreLowerCase() {
        assertThat(FieldNaming.ORIGINAL.configName()).isEqualTo("original");
        assertThat(FieldNaming.SNAKE_CASE.configName()).isEqualTo("snake_case");
    }
}
