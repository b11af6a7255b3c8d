import { ofKind, type K8sObject, type PersistentVolumeClaim, type Workload } from './kubernetes';

/** What scales a Deployment: a KEDA ScaledObject or a HorizontalPodAutoscaler, with its bounds. */
export interface Autoscaler {
  kind: string;
  name: string;
  min: number;
  max: number;
}

type ScaledObjectShape = K8sObject & { spec: { scaleTargetRef: { name: string }; minReplicaCount?: number; maxReplicaCount?: number } };
type HpaShape = K8sObject & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas?: number; maxReplicas: number } };

/** The autoscalers of a rendering that target `deployment` (KEDA's defaults: min 0, max 100; an HPA's min defaults to 1). */
export function autoscalersOf(objects: K8sObject[], deployment: Workload): Autoscaler[] {
  const name = deployment.metadata.name;
  return [
    ...ofKind<ScaledObjectShape>(objects, 'ScaledObject')
      .filter((scaledObject) => scaledObject.spec.scaleTargetRef.name === name)
      .map((scaledObject) => ({
        kind: 'ScaledObject',
        name: scaledObject.metadata.name,
        min: scaledObject.spec.minReplicaCount ?? 0,
        max: scaledObject.spec.maxReplicaCount ?? 100,
      })),
    ...ofKind<HpaShape>(objects, 'HorizontalPodAutoscaler')
      .filter((hpa) => hpa.spec.scaleTargetRef.kind === 'Deployment' && hpa.spec.scaleTargetRef.name === name)
      .map((hpa) => ({
        kind: 'HorizontalPodAutoscaler',
        name: hpa.metadata.name,
        min: hpa.spec.minReplicas ?? 1,
        max: hpa.spec.maxReplicas,
      })),
  ];
}

/**
 * Why a Deployment of a rendering cannot run more than one pod; empty when it can. Pinned: a
 * Recreate strategy (a rollout never runs two pods), a ReadWriteOnce volume (a second pod on
 * another node never mounts it), an autoscaler capped at 1, or `replicas: 1` with no autoscaler
 * (each apply resets any scale-out). Without `replicas` and an autoscaler, `kubectl scale` holds.
 */
export function pinnedToOnePod(objects: K8sObject[], deployment: Workload): string[] {
  const reasons: string[] = [];
  const strategy = deployment.spec.strategy?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') reasons.push(`strategy ${strategy}`);
  const claims = ofKind<PersistentVolumeClaim>(objects, 'PersistentVolumeClaim');
  for (const volume of deployment.spec.template.spec.volumes ?? []) {
    if (!volume.persistentVolumeClaim) continue;
    const claim = claims.find((candidate) => candidate.metadata.name === volume.persistentVolumeClaim!.claimName);
    const modes = claim?.spec.accessModes ?? ['unknown'];
    if (!modes.includes('ReadWriteMany'))
      reasons.push(`volume ${volume.name} is claim ${volume.persistentVolumeClaim.claimName} (${modes.join(',')})`);
  }
  const autoscalers = autoscalersOf(objects, deployment);
  for (const autoscaler of autoscalers.filter(({ max }) => max <= 1))
    reasons.push(`${autoscaler.kind} ${autoscaler.name} allows ${autoscaler.max} pod at most`);
  if (autoscalers.length === 0 && deployment.spec.replicas !== undefined && deployment.spec.replicas <= 1)
    reasons.push(`replicas ${deployment.spec.replicas} and no autoscaler`);
  return reasons;
}
