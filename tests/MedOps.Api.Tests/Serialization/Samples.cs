namespace MedOps.Api.Tests.Serialization;

/// <summary>
/// Complete objects of each kind as the API server returns them (after defaulting, with a
/// status): every field of api.md set, quantities in their various spellings.
/// </summary>
internal static class Samples
{
    public const string MedicalModel = """
    {
      "apiVersion": "medops.io/v1alpha1",
      "kind": "MedicalModel",
      "metadata": {
        "name": "chest-xray",
        "namespace": "radiology",
        "uid": "0b4c1e5e-7f7e-4f44-9f0a-4a1d6a1a2b3c",
        "generation": 3,
        "resourceVersion": "12345",
        "creationTimestamp": "2024-05-01T09:00:00Z",
        "labels": {"app.kubernetes.io/instance": "radiology-models"},
        "annotations": {"argocd.argoproj.io/tracking-id": "radiology:medops.io/MedicalModel:radiology/chest-xray"}
      },
      "spec": {
        "modality": "Imaging",
        "version": "1.4.0",
        "intendedUse": "Pneumothorax triage on chest radiographs",
        "usage": "Clinical",
        "dataClassification": "LimitedDataSet",
        "format": "ONNX",
        "source": {
          "uri": "pvc://models/chest-xray/1.4.0",
          "digest": "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        },
        "runtime": {
          "image": "nvcr.io/nvidia/tritonserver:24.08-py3",
          "command": ["tritonserver"],
          "args": ["--model-repository=/mnt/models"],
          "env": [
            {"name": "LOG_LEVEL", "value": "info"},
            {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "triton", "key": "token", "optional": true}}},
            {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
            {"name": "MODEL_CACHE", "valueFrom": {"configMapKeyRef": {"name": "triton", "key": "cache"}}},
            {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"containerName": "server", "resource": "limits.cpu", "divisor": "1m"}}}
          ],
          "port": 8000,
          "readinessPath": "/v2/health/ready"
        },
        "resources": {
          "cpu": "500m",
          "memory": "16Gi",
          "gpu": {"count": 1, "resourceName": "nvidia.com/gpu", "products": ["NVIDIA-A100-SXM4-80GB", "NVIDIA-H100-80GB-HBM3"], "minMemory": "40Gi"}
        },
        "replicas": 2,
        "autoscaling": {"minReplicas": 1, "maxReplicas": 4, "targetCPUUtilizationPercentage": 70},
        "suspend": false
      },
      "status": {
        "observedGeneration": 3,
        "phase": "Ready",
        "conditions": [
          {"type": "Ready", "status": "True", "observedGeneration": 3, "lastTransitionTime": "2024-05-01T10:00:00Z", "reason": "Serving", "message": "2/2 replicas ready"},
          {"type": "Available", "status": "True", "observedGeneration": 3, "lastTransitionTime": "2024-05-01T10:00:00Z", "reason": "MinimumReplicasAvailable", "message": ""}
        ],
        "replicas": 2,
        "readyReplicas": 2,
        "endpoint": "http://chest-xray.radiology.svc:8000",
        "modelUri": "pvc://models/chest-xray/1.4.0",
        "lineage": {"trainingJob": "chest-xray-train", "datasetClaim": "cxr-2024"}
      }
    }
    """;

    public const string MedicalModelFromTrainingJob = """
    {
      "apiVersion": "medops.io/v1alpha1",
      "kind": "MedicalModel",
      "metadata": {"name": "chest-xray", "namespace": "radiology", "labels": {"medops.io/trained-by": "chest-xray-train"}},
      "spec": {
        "modality": "Imaging",
        "version": "1.5.0",
        "usage": "Research",
        "dataClassification": "PHI",
        "format": "Custom",
        "source": {"trainingJobRef": {"name": "chest-xray-train"}},
        "runtime": {"image": "registry.example/cxr-server:1", "port": 8080, "readinessPath": "/v2/health/ready"},
        "resources": {"cpu": "4", "memory": "8Gi"},
        "replicas": 1,
        "suspend": true
      },
      "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": "2024-05-01T10:00:00.123456Z", "reason": "WaitingForTrainingJob", "message": "TrainingJob chest-xray-train has not succeeded yet"}]}
    }
    """;

    public const string TrainingJob = """
    {
      "apiVersion": "medops.io/v1alpha1",
      "kind": "TrainingJob",
      "metadata": {"name": "chest-xray-train", "namespace": "radiology", "generation": 1},
      "spec": {
        "image": "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
        "command": ["python", "train.py"],
        "args": ["--epochs", "10"],
        "env": [{"name": "NCCL_DEBUG", "value": "INFO"}],
        "workers": 4,
        "resources": {"cpu": "8", "memory": "32Gi", "gpu": {"count": 2, "resourceName": "nvidia.com/gpu"}},
        "dataset": {"claimName": "cxr-2024", "subPath": ""},
        "output": {"claimName": "models", "path": "chest-xray/1.5.0"},
        "backoffLimit": 3,
        "activeDeadlineSeconds": 86400,
        "ttlSecondsAfterFinished": 3600,
        "suspend": false,
        "schedulerName": "volcano",
        "priorityClassName": "research-batch",
        "dataClassification": "PHI",
        "model": {
          "name": "chest-xray",
          "template": {
            "modality": "Imaging",
            "version": "1.5.0",
            "usage": "Research",
            "dataClassification": "PHI",
            "format": "TorchScript",
            "runtime": {"image": "registry.example/cxr-server:1", "port": 8080, "readinessPath": "/v2/health/ready"},
            "resources": {"cpu": "2", "memory": "8Gi", "gpu": {"count": 1, "resourceName": "nvidia.com/gpu"}},
            "replicas": 1,
            "suspend": false
          }
        }
      },
      "status": {
        "observedGeneration": 1,
        "phase": "Succeeded",
        "conditions": [{"type": "Succeeded", "status": "True", "observedGeneration": 1, "lastTransitionTime": "2024-05-02T08:30:00Z", "reason": "AllWorkersSucceeded", "message": "4/4 workers succeeded"}],
        "attempt": 2,
        "restarts": 1,
        "workers": {"active": 0, "succeeded": 4, "failed": 0},
        "startTime": "2024-05-01T20:00:00Z",
        "completionTime": "2024-05-02T08:30:00Z",
        "outputUri": "pvc://models/chest-xray/1.5.0",
        "model": "chest-xray"
      }
    }
    """;

    public const string Workspace = """
    {
      "apiVersion": "medops.io/v1alpha1",
      "kind": "Workspace",
      "metadata": {"name": "dr-smith", "namespace": "research"},
      "spec": {
        "owner": "dr.smith@hospital.example",
        "cpu": 2,
        "memory": "1Gi",
        "disk": {"size": "20Gi", "storageClassName": "fast-ssd", "reclaimPolicy": "Delete"},
        "image": {"containerDisk": "quay.io/containerdisks/ubuntu:22.04"},
        "running": true,
        "gpu": {"count": 1, "deviceName": "nvidia.com/GA100_A100_PCIE_40GB"},
        "dataClassification": "DeIdentified"
      },
      "status": {
        "observedGeneration": 1,
        "phase": "Running",
        "conditions": [{"type": "Ready", "status": "True", "observedGeneration": 1, "lastTransitionTime": "2024-05-01T10:00:00Z", "reason": "Running", "message": ""}],
        "vmName": "dr-smith"
      }
    }
    """;

    public const string WorkspaceFromClonedDisk = """
    {
      "apiVersion": "medops.io/v1alpha1",
      "kind": "Workspace",
      "metadata": {"name": "dr-jones", "namespace": "research"},
      "spec": {
        "owner": "dr.jones@hospital.example",
        "cpu": 8,
        "memory": "32Gi",
        "disk": {"size": "100Gi", "reclaimPolicy": "Retain"},
        "image": {"pvc": {"namespace": "golden", "name": "ubuntu-22"}},
        "running": false,
        "dataClassification": "PHI"
      }
    }
    """;

    public const string WorkspaceFromHttpImage = """
    {
      "apiVersion": "medops.io/v1alpha1",
      "kind": "Workspace",
      "metadata": {"name": "dr-lee", "namespace": "research"},
      "spec": {
        "owner": "dr.lee@hospital.example",
        "cpu": 2,
        "memory": "4Gi",
        "disk": {"size": "20Gi", "reclaimPolicy": "Delete"},
        "image": {"http": "https://images.example/ubuntu.qcow2"},
        "running": true,
        "dataClassification": "Public"
      }
    }
    """;
}
