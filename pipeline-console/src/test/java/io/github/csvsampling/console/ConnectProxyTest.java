package io.github.csvsampling.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.github.csvsampling.stack.ConnectRestClient;
import org.junit.jupiter.api.Test;

/**
 * The proxy's allow-list and its checks of what the page sends, without a worker: what is forwarded where, and the
 * messages for what is refused.
 */
class ConnectProxyTest {

    /** No worker behind it: route() never calls it, and forward() gets a connection refused. */
    private final ConnectProxy proxy = new ConnectProxy(new ConnectRestClient("http://127.0.0.1:1"), () -> { });

    @Test
    void theEndpointsOfManagingConnectorsAreForwardedWithEncodedNamesAndOnlyKnownParameters() throws Exception {
        assertThat(proxy.route("GET", "/connectors", "expand=status&expand=info&evil=1", null).path())
                .isEqualTo("/connectors?expand=status&expand=info");
        assertThat(proxy.route("GET", "/connectors/a%20b/status", null, null).path())
                .isEqualTo("/connectors/a%20b/status");
        assertThat(proxy.route("PUT", "/connectors/a+b/pause", null, null).path()).isEqualTo("/connectors/a%2Bb/pause");
        assertThat(proxy.route("POST", "/connectors/x/restart", "includeTasks=true&onlyFailed=maybe", null).path())
                .isEqualTo("/connectors/x/restart?includeTasks=true");
        assertThat(proxy.route("DELETE", "/connectors/x/offsets", null, null).changesState()).isTrue();
        assertThat(proxy.route("PUT", "/connector-plugins/LinesSink/config/validate", null,
                body("{\"topics\":\"t\",\"tasks.max\":2}")).body()).isEqualTo("{\"topics\":\"t\",\"tasks.max\":\"2\"}");
        assertThat(proxy.route("POST", "/connectors/x/tasks/0/restart", null, null).path())
                .isEqualTo("/connectors/x/tasks/0/restart");
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> proxy.route("PUT", "/admin/loggers/root", null, body("{\"level\":\"TRACE\"}")))
                .hasMessageContaining("does not forward PUT /admin/loggers/root");
        assertThatThrownBy(() -> proxy.route("POST", "/connectors/x/pause", null, null))
                .hasMessageContaining("Method POST is not allowed");
        assertThatThrownBy(() -> proxy.route("GET", "/connectors/x/tasks/0/../../../admin", null, null))
                .isInstanceOf(HttpResponses.Refused.class);
        assertThatThrownBy(() -> proxy.route("GET", "/connectors/%zz", null, null))
                .hasMessageContaining("malformed");
    }

    @Test
    void namesConnectCannotAddressAndBadBodiesGetAMessage() {
        assertThatThrownBy(() -> proxy.route("POST", "/connectors", null, body("{\"name\":\"a/b\",\"config\":{}}")))
                .hasMessageContaining("contains a slash");
        assertThatThrownBy(() -> proxy.route("POST", "/connectors", null, body("{\"name\":\"it's\",\"config\":{}}")))
                .hasMessageContaining("contains a quote");
        assertThatThrownBy(() -> proxy.route("POST", "/connectors", null, body("{\"name\":\"x\",\"config\":{")))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> proxy.route("POST", "/connectors", null, body("[1]")))
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> proxy.route("POST", "/connectors", null,
                body("{\"name\":\"x\",\"config\":{\"topics\":[\"a\"]}}")))
                .hasMessageContaining("topics: a setting's value must be text, not a list");
        String huge = "9".repeat(ConnectProxy.MAX_VALUE_CHARS + 1);
        assertThatThrownBy(() -> proxy.route("PUT", "/connector-plugins/X/config/validate", null,
                body("{\"records.per.second\":\"" + huge + "\"}")))
                .hasMessageContaining("records.per.second: the value is 65,537 characters long");
    }

    @Test
    void anUnreachableWorkerIsABadGatewayWithTheReason() {
        ConnectProxy.Answer answer = proxy.forward("GET", "/connectors", null, new byte[0]);
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json()).contains("Cannot reach the Connect REST API at http://127.0.0.1:1")
                .doesNotContain("\\tat ");
    }

    @Test
    void connectorNamesExplainWhatIsWrong() {
        assertThat(ConnectorNames.problem("stock-quotes-source")).isEmpty();
        assertThat(ConnectorNames.problem("")).get().asString().contains("needs a name");
        assertThat(ConnectorNames.problem("a\\b")).get().asString().contains("slash");
        assertThat(ConnectorNames.problem("a\"b")).get().asString().contains("quote");
        assertThat(ConnectorNames.problem("a\nb")).get().asString().contains("control character");
        assertThat(ConnectorNames.problem(" a")).get().asString().contains("space");
        assertThat(ConnectorNames.problem("x".repeat(201))).get().asString().contains("201 characters");
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
