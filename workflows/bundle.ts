import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const WORKFLOWS_PATH = new URL('./temporal-workflows.ts', import.meta.url).pathname;

/**
 * Bundles the workflow code for Temporal's sandbox. Our sources are TypeScript with NodeNext ".js" import
 * specifiers, which webpack must map back to the ".ts" files.
 */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
    }),
  });
}
