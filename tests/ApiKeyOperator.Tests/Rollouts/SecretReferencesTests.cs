using ApiKeyOperator.Rollouts;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Rollouts;

public sealed class SecretReferencesTests
{
    private const string Secret = "billing-key";

    public static TheoryData<string, V1PodSpec> Referencing => new()
    {
        { "volume", Pod(volumes: [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = Secret } }]) },
        {
            "projected volume",
            Pod(volumes:
            [
                new V1Volume
                {
                    Name = "all",
                    Projected = new V1ProjectedVolumeSource
                    {
                        Sources =
                        [
                            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "cfg" } },
                            new V1VolumeProjection { Secret = new V1SecretProjection { Name = Secret } },
                        ],
                    },
                },
            ])
        },
        { "env secretKeyRef", Pod(containers: [Container(env: [SecretEnv("API_KEY")])]) },
        { "envFrom secretRef", Pod(containers: [Container(envFrom: [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = Secret } }])]) },
        { "init container env", Pod(init: [Container(env: [SecretEnv("K")])]) },
    };

    [Theory]
    [MemberData(nameof(Referencing))]
    public void Detects_every_way_a_pod_reads_the_secret(string way, V1PodSpec spec)
    {
        Assert.True(SecretReferences.References(spec, Secret), way);
    }

    [Fact]
    public void Other_secrets_configmaps_and_plain_env_are_not_references()
    {
        var spec = Pod(
            volumes:
            [
                new V1Volume { Name = "other", Secret = new V1SecretVolumeSource { SecretName = "billing-key-old" } },
                new V1Volume { Name = "cfg", ConfigMap = new V1ConfigMapVolumeSource { Name = Secret } },
            ],
            containers:
            [
                Container(
                    env:
                    [
                        new V1EnvVar { Name = "PLAIN", Value = Secret },
                        new V1EnvVar { Name = "CM", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Key = "k", Name = Secret } } },
                    ],
                    envFrom: [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = Secret } }]),
            ]);

        Assert.False(SecretReferences.References(spec, Secret));
        Assert.False(SecretReferences.References(null, Secret));
    }

    private static V1PodSpec Pod(IList<V1Volume>? volumes = null, IList<V1Container>? containers = null, IList<V1Container>? init = null) =>
        new() { Containers = containers ?? [Container()], InitContainers = init, Volumes = volumes };

    private static V1Container Container(IList<V1EnvVar>? env = null, IList<V1EnvFromSource>? envFrom = null) =>
        new() { Name = "app", Image = "registry.k8s.io/pause:3.9", Env = env, EnvFrom = envFrom };

    private static V1EnvVar SecretEnv(string name) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Key = "apiKey", Name = Secret } },
    };
}
