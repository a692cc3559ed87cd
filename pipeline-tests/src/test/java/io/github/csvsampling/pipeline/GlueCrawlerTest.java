package io.github.csvsampling.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.csvsampling.lake.AthenaDdl;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.model.CrawlerLineageSettings;
import software.amazon.awssdk.services.glue.model.CreateCrawlerRequest;
import software.amazon.awssdk.services.glue.model.DeleteBehavior;
import software.amazon.awssdk.services.glue.model.RecrawlBehavior;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.UpdateBehavior;

/**
 * {@code glue-crawler.json}, the input of {@code aws glue create-crawler --cli-input-json}, read strictly into
 * the AWS SDK's own {@link CreateCrawlerRequest} model (an unknown or misspelt member fails at any depth), plus
 * what the model does not check: required members, enum values and the {@code Configuration} JSON string.
 */
class GlueCrawlerTest {

    private static final ObjectMapper SDK_MODEL_READER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static CreateCrawlerRequest read(String json) throws IOException {
        Object builder = SDK_MODEL_READER.readValue(json, CreateCrawlerRequest.serializableBuilderClass());
        return ((CreateCrawlerRequest.Builder) builder).build();
    }

    private static CreateCrawlerRequest crawler() throws IOException {
        return read(Repo.text(Repo.GLUE_CRAWLER));
    }

    @Test
    void parsesStrictlyIntoTheSdksCreateCrawlerRequest() throws IOException {
        CreateCrawlerRequest request = crawler();
        assertThat(request.name()).isNotBlank().hasSizeLessThanOrEqualTo(255);
        assertThat(request.role()).isNotBlank();
        assertThat(request.targets()).isNotNull();
        assertThat(request.targets().s3Targets()).hasSize(1);
        if (request.description() != null) {
            assertThat(request.description()).hasSizeLessThanOrEqualTo(2048);
        }
        if (request.tablePrefix() != null) {
            assertThat(request.tablePrefix()).hasSizeLessThanOrEqualTo(128);
        }
    }

    @Test
    void theStrictReaderRejectsUnknownMembersAtAnyDepth() {
        assertThatThrownBy(() -> read("{\"Name\":\"c\",\"Role\":\"r\",\"Targets\":{},\"Shedule\":\"x\"}"))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("Shedule");
        assertThatThrownBy(() -> read("{\"Name\":\"c\",\"Role\":\"r\",\"Targets\":{\"S3Targets\":[{\"Paht\":\"s3://b/\"}]}}"))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("Paht");
    }

    @Test
    void crawlsTheTopicsOwnFolderTheDdlTableSitsOn() throws IOException {
        S3Target target = crawler().targets().s3Targets().get(0);
        Map<String, String> sink = Repo.connectorConfig(Repo.SINK_AWS);
        String topicFolder = "s3://" + sink.get("s3.bucket.name") + "/" + sink.getOrDefault("topics.dir", "topics") + "/"
                + sink.get("topics") + "/";
        assertThat(target.path()).isEqualTo(topicFolder)
                .isEqualTo(AthenaDdl.parse(Repo.text(Repo.ATHENA_DDL)).location());
        if (target.sampleSize() != null) {
            assertThat(target.sampleSize()).isBetween(1, 249);
        }
    }

    @Test
    void recrawlsOnlyNewFoldersAndNeverChangesTheDdlTable() throws IOException {
        CreateCrawlerRequest request = crawler();
        assertThat(request.recrawlPolicy().recrawlBehavior()).isEqualTo(RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY);
        // CRAWL_NEW_FOLDERS_ONLY requires LOG/LOG: the crawler never rewrites or deletes a table.
        assertThat(request.schemaChangePolicy().updateBehavior()).isEqualTo(UpdateBehavior.LOG);
        assertThat(request.schemaChangePolicy().deleteBehavior()).isEqualTo(DeleteBehavior.LOG);
        if (request.lineageConfiguration() != null) {
            assertThat(request.lineageConfiguration().crawlerLineageSettings())
                    .isNotEqualTo(CrawlerLineageSettings.UNKNOWN_TO_SDK_VERSION);
        }
        // Its table, at the include path, is named after that folder ('-' becoming '_') with the prefix, and must not
        // be an object the DDL makes.
        String topic = Repo.connectorConfig(Repo.SINK_AWS).get("topics");
        String crawledTable = (request.tablePrefix() == null ? "" : request.tablePrefix()) + topic.replace('-', '_');
        AthenaDdl ddl = AthenaDdl.parse(Repo.text(Repo.ATHENA_DDL));
        assertThat(request.databaseName()).isEqualTo(ddl.database());
        assertThat(crawledTable).isNotEqualTo(ddl.tableName()).isNotEqualTo(ddl.viewName());
    }

    @Test
    void configurationMakesOneTableAtTheIncludePathAndInheritsPartitionSchemas() throws IOException {
        CreateCrawlerRequest request = crawler();
        JsonNode configuration = Repo.JSON.readTree(request.configuration());
        assertThat(configuration.get("Version").asDouble()).isEqualTo(1.0);
        JsonNode grouping = configuration.get("Grouping");
        // "Create a single schema for each S3 path" (AWS Glue developer guide, crawler-grouping-policy): with the
        // topic's folder as include path and compatible data, one table at that path, its year=/month=/day=/hour=
        // folders as partitions. No TableLevelConfiguration: the include path is the table, whatever one counts from.
        assertThat(grouping.get("TableGroupingPolicy").asText()).isEqualTo("CombineCompatibleSchemas");
        assertThat(grouping.has("TableLevelConfiguration")).isFalse();
        assertThat(configuration.at("/CrawlerOutput/Partitions/AddOrUpdateBehavior").asText())
                .isEqualTo("InheritFromTable");
        List<String> unknown = new ArrayList<>();
        configuration.fieldNames().forEachRemaining(name -> {
            if (!List.of("Version", "Grouping", "CrawlerOutput", "CreatePartitionIndex").contains(name)) {
                unknown.add(name);
            }
        });
        assertThat(unknown).isEmpty();
    }

    @Test
    void runsOnAnAwsCronSchedule() throws IOException {
        String schedule = crawler().schedule();
        Matcher cron = Pattern.compile("cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)").matcher(schedule);
        assertThat(cron.matches()).as("%s is cron(min hour day-of-month month day-of-week year)", schedule).isTrue();
        assertThat(cron.group(3).equals("?") ^ cron.group(5).equals("?"))
                .as("exactly one of day-of-month and day-of-week is ?").isTrue();
        assertThat(cron.group(1)).matches("[0-9]{1,2}(/[0-9]+)?|\\*|[0-9,-]+");
    }
}
