namespace ApiKeyOperator.Runtime;

/// <summary>A controller declared in dependency injection, built by the host when it starts.</summary>
public interface IControllerRegistration
{
    string Name { get; }

    /// <summary>Phase one: every registration declares its informers before any controller is built.</summary>
    void DeclareInformers(InformerRegistry informers);

    /// <summary>Phase two: creates the reconciler, queue and controller and connects the informers.</summary>
    IController Build(IServiceProvider services, int defaultMaxConcurrentReconciles);
}
