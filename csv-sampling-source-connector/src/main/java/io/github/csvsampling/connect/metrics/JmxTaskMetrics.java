package io.github.csvsampling.connect.metrics;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * The task metrics as a read-only MBean, for workers without plugin metrics. A dynamic MBean so its
 * attributes carry the same names and descriptions as the plugin metrics, and dashboards differ
 * between worker versions only in the object name.
 */
final class JmxTaskMetrics implements DynamicMBean, TaskMetrics.Registration {

    /**
     * Which instance owns each name. A task instance that outlived the worker's stop timeout must
     * not unregister the MBean of the instance that replaced it.
     */
    private static final ConcurrentMap<ObjectName, JmxTaskMetrics> OWNERS = new ConcurrentHashMap<>();

    private final ObjectName name;
    private final Map<String, TaskMetrics.Definition> attributes = new LinkedHashMap<>();
    private final MBeanInfo info;

    private JmxTaskMetrics(ObjectName name, List<TaskMetrics.Definition> definitions) {
        this.name = name;
        MBeanAttributeInfo[] infos = new MBeanAttributeInfo[definitions.size()];
        for (int i = 0; i < infos.length; i++) {
            TaskMetrics.Definition definition = definitions.get(i);
            attributes.put(definition.name(), definition);
            infos[i] = new MBeanAttributeInfo(definition.name(), definition.type().getName(),
                    definition.description(), true, false, false);
        }
        info = new MBeanInfo(JmxTaskMetrics.class.getName(), "Metrics of a CSV sampling source task", infos, null,
                null, null);
    }

    /** Registers the MBean on the platform MBean server, replacing one left under the same name. */
    static TaskMetrics.Registration register(ObjectName name, List<TaskMetrics.Definition> definitions) {
        JmxTaskMetrics mbean = new JmxTaskMetrics(name, definitions);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                unregister(server, name);
            }
            server.registerMBean(mbean, name);
        } catch (JMException e) {
            throw new IllegalStateException("Cannot register MBean " + name, e);
        }
        OWNERS.put(name, mbean);
        return mbean;
    }

    @Override
    public void close() {
        if (OWNERS.remove(name, this)) {
            try {
                unregister(ManagementFactory.getPlatformMBeanServer(), name);
            } catch (JMException e) {
                throw new IllegalStateException("Cannot unregister MBean " + name, e);
            }
        }
    }

    private static void unregister(MBeanServer server, ObjectName name) throws JMException {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Gone already.
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        TaskMetrics.Definition definition = attributes.get(attribute);
        if (definition == null) {
            throw new AttributeNotFoundException("No attribute " + attribute + " in " + name);
        }
        return definition.value().get();
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String attribute : names) {
            TaskMetrics.Definition definition = attributes.get(attribute);
            if (definition != null) {
                list.add(new Attribute(attribute, definition.value().get()));
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("Task metrics are read-only: " + attribute.getName());
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName), "Task metrics have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
