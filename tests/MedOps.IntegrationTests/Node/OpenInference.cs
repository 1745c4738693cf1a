using System.Net.Http.Json;
using System.Text.Json;

namespace MedOps.IntegrationTests.Node;

/// <summary>
/// One Open Inference Protocol request to the sample server (images/sample-model/serve.py): the
/// answer, or what came back instead, which a timed-out wait shows.
/// </summary>
internal sealed record OpenInference(JsonElement? Answer, string Observed)
{
    public override string ToString() => Observed;

    /// <summary>The predicted label ("malignant" or "benign"); throws when there was no answer.</summary>
    public string Label =>
        Answer!.Value.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "label")
            .GetProperty("data")[0].GetString()!;

    /// <summary>POSTs <see cref="RealNodePods.SampleRow"/> to <c>/v2/models/{model}/infer</c> of <paramref name="baseUrl"/>.</summary>
    public static async Task<OpenInference> InferAsync(HttpClient http, string baseUrl, string model)
    {
        try
        {
            var request = new { inputs = new[] { new { name = "input-0", shape = new[] { 1, 30 }, datatype = "FP32", data = RealNodePods.SampleRow } } };
            using var response = await http.PostAsJsonAsync($"{baseUrl}/v2/models/{model}/infer", request);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode
                ? new OpenInference(JsonDocument.Parse(body).RootElement.Clone(), body)
                : new OpenInference(null, $"{(int)response.StatusCode}: {body}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new OpenInference(null, e.Message);
        }
    }
}
